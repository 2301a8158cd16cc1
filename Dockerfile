# One image for the web, worker and beat services (see docker-compose.yml).
FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY neglect_tracker ./neglect_tracker
COPY cases ./cases
COPY assessments ./assessments
COPY learning ./learning
COPY reporting ./reporting
RUN pip install --no-cache-dir .
# The Department for Education's CIN census rules pin pandas<2: their own venv, as scripts/setup.sh.
RUN python -m venv /app/.cin-venv \
    && /app/.cin-venv/bin/pip install --no-cache-dir csc-validator-be-cin==0.1.13 'numpy<2' pytest \
    && /app/.cin-venv/bin/python -c 'import cin_validator.cin_validator'
COPY --from=frontend /app/node_modules ./node_modules
COPY . .
RUN bash scripts/build_static.sh && NT_SECRET_KEY=build python manage.py collectstatic --noinput
RUN useradd --system app && chown -R app /app/run
USER app
EXPOSE 8000
CMD ["gunicorn", "neglect_tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
