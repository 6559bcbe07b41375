"""The explorer page in a real headless browser (service/web); ``support`` serves it."""
