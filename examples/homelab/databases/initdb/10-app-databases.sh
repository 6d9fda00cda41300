#!/bin/sh
# Runs once, when the PostgreSQL data directory is empty (docker-entrypoint-initdb.d).
# Creates one role and one database per application. The passwords come from the
# container environment (see databases/compose.yml), never from this file.
set -eu

create_app_db() {
  app="$1"
  password="$2"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE "$app" LOGIN PASSWORD '$password';
CREATE DATABASE "$app" OWNER "$app";
SQL
}

create_app_db authentik "$AUTHENTIK_DB_PASSWORD"
create_app_db paperless "$PAPERLESS_DB_PASSWORD"
create_app_db mealie "$MEALIE_DB_PASSWORD"
create_app_db n8n "$N8N_DB_PASSWORD"
create_app_db grafana "$GRAFANA_DB_PASSWORD"
