# syntax=docker/dockerfile:1.7
# newsdesk's model services, translator and summarizer: one Dockerfile, the service
# named by --build-arg SERVICE. Build from the repository root:
#   docker build -f services/model.Dockerfile --build-arg SERVICE=translator -t newsdesk/translator .
#   docker build -f services/model.Dockerfile --build-arg SERVICE=summarizer -t newsdesk/summarizer .
# The images serve the default engine, CTranslate2 int8: no torch, no transformers.
#   --build-arg EXTRAS=services   also installs torch (CPU) and transformers, for
#                                 NEWSDESK_<SERVICE>_ENGINE=transformers
#   --target tools                the model tools image (newsdesk/models): pull, convert,
#                                 build-local; what the compose puller and k8s Job run
#                                 (no SERVICE needed)
#   --build-arg MODELS=baked      pulls and converts the models into the image at build
#                                 time (needs internet while building)
# Models otherwise come from a volume at /models, filled by `newsdesk models pull`
# (which converts to CTranslate2 int8 by default). The detector needs neither models nor
# CTranslate2: it has its own services/detector/Dockerfile.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG MODELS=volume
# translator | summarizer: the per-service stage the image ends in (end of this file).
ARG SERVICE=unset

FROM ${PYTHON_IMAGE} AS source
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml setup.py README.md constraints.txt ./
COPY protos/ protos/
COPY services/ services/
COPY clients/ clients/

FROM source AS build
ARG EXTRAS=serve
ENV PATH=/opt/venv/bin:$PATH
# CPU-only torch when asked for: PyPI's default wheel drags in CUDA (several GB). torch
# alone from PyTorch's CPU index (--no-deps); its dependencies come pinned from
# constraints.txt with the rest, as `make setup` and the README do it. pip itself and
# the build's own requirements are pinned too (pyproject.toml [build-system]).
# hadolint ignore=DL3013
RUN python -m venv /opt/venv \
    && pip install -c constraints.txt pip \
    && if [ "$EXTRAS" = "services" ]; then \
         pip install --no-deps --index-url https://download.pytorch.org/whl/cpu torch==2.13.0; \
       fi \
    && pip install -c constraints.txt ".[${EXTRAS}]"

# Pull, convert and build models: torch (CPU) and transformers are needed here only.
FROM source AS tools
ENV PATH=/opt/venv/bin:$PATH \
    HOME=/tmp \
    HF_HOME=/tmp/hf
# hadolint ignore=DL3013
RUN python -m venv /opt/venv \
    && pip install -c constraints.txt pip \
    && pip install --no-deps --index-url https://download.pytorch.org/whl/cpu torch==2.13.0 \
    && pip install -c constraints.txt '.[services]' \
    && groupadd --system --gid 10001 newsdesk \
    && useradd --system --uid 10001 --gid newsdesk --no-create-home \
       --home-dir /tmp --shell /usr/sbin/nologin newsdesk \
    && mkdir -p /models \
    && chown 10001:10001 /models
USER 10001:10001
ENTRYPOINT ["newsdesk", "models"]
CMD ["pull", "--model-dir", "/models"]

FROM tools AS models-volume

FROM tools AS models-baked
# Pull converts to CTranslate2 int8 by default.
RUN newsdesk models pull --model-dir /models

# The stage named by --build-arg MODELS (volume | baked).
# hadolint ignore=DL3006
FROM models-${MODELS} AS models

# What both services' images share.
FROM ${PYTHON_IMAGE} AS serving
RUN groupadd --system --gid 10001 newsdesk \
    && useradd --system --uid 10001 --gid newsdesk --no-create-home \
       --home-dir /tmp --shell /usr/sbin/nologin newsdesk
COPY --from=build /opt/venv /opt/venv
COPY --from=models --chown=10001:10001 /models /models
# Read-only root filesystem friendly: every cache goes to /tmp (a tmpfs in compose/k8s).
# Threads follow the container's CPU quota (cgroup cpu.max). Never set CT2_USE_MKL=1:
# on AMD CPUs it made int8 13-30x slower.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/tmp \
    HF_HOME=/tmp/hf \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    NEWSDESK_MODEL_DIR=/models \
    NEWSDESK_LOG_FORMAT=json
USER 10001:10001
# Last, so that the layers above are the same for both services.
ARG SERVICE
LABEL org.opencontainers.image.title="newsdesk-${SERVICE}"

# What differs per service: its variables, ports, health probe and module. Exec-form
# ENTRYPOINT: Python is PID 1 and receives SIGTERM for the graceful drain.
FROM serving AS translator
ENV NEWSDESK_TRANSLATOR_ENGINE=ctranslate2 \
    NEWSDESK_TRANSLATOR_COMPUTE_TYPE=int8 \
    NEWSDESK_TRANSLATOR_PORT=50052 \
    NEWSDESK_TRANSLATOR_METRICS_PORT=9102
EXPOSE 50052 9102
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
    CMD ["python", "-m", "services.tools.health_probe", "127.0.0.1:50052"]
ENTRYPOINT ["python", "-m", "services.translator"]

FROM serving AS summarizer
ENV NEWSDESK_SUMMARIZER_ENGINE=ctranslate2 \
    NEWSDESK_SUMMARIZER_COMPUTE_TYPE=int8 \
    NEWSDESK_SUMMARIZER_PORT=50053 \
    NEWSDESK_SUMMARIZER_METRICS_PORT=9103
EXPOSE 50053 9103
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
    CMD ["python", "-m", "services.tools.health_probe", "127.0.0.1:50053"]
ENTRYPOINT ["python", "-m", "services.summarizer"]

# No --build-arg SERVICE: stop at once and say what to pass.
FROM ${PYTHON_IMAGE} AS unset
RUN echo "services/model.Dockerfile: build with --build-arg SERVICE=translator or summarizer" >&2 \
    && exit 1

# The image: the stage named by --build-arg SERVICE.
# hadolint ignore=DL3006
FROM ${SERVICE}
