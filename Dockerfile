# The actorgraph service: docker compose up builds it (see docker-compose.yml).
FROM python:3.11-slim

# Debian packages the exports need: Graphviz draws the SVG/PNG pictures, Pango lets WeasyPrint
# render PDF reports. The list is shared with CI.
COPY scripts/apt-packages.txt /tmp/apt-packages.txt
RUN apt-get update \
 && xargs -a /tmp/apt-packages.txt apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/apt-packages.txt

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY . .
RUN pip install ".[report,ftm]"

# The Neo4j store reads cypher/schema.cypher beside the graph package, which the installed copy in
# site-packages does not have; importing from the source tree keeps that file next to the code.
ENV PYTHONPATH=/app \
    ACTORGRAPH_DATA=/app/data

RUN useradd --create-home --uid 10001 actorgraph && mkdir -p /app/data && chown actorgraph /app/data
USER actorgraph

EXPOSE 8000
CMD ["actorgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
