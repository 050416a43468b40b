#!/usr/bin/env bash
# Starts Debian's PostgreSQL when it isn't running, makes sure the test role exists, and prints
# the URL the integration tests use to create one fresh database per test.
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -n | tail -n1)
if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
  pg_lsclusters -h | grep -q . || pg_createcluster "$version" main >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 1
done
su postgres -c "psql -qtA -c \"SELECT 1 FROM pg_roles WHERE rolname='choso_test'\"" | grep -q 1 ||
  su postgres -c "psql -q -c \"CREATE ROLE choso_test LOGIN CREATEDB PASSWORD 'choso_test'\"" >&2
# Databases left by earlier runs: each test makes its own, so start from none.
su postgres -c "psql -qtA -c \"SELECT datname FROM pg_database WHERE datname LIKE 'choso_test_%'\"" |
  while read -r db; do su postgres -c "dropdb --if-exists $db" >&2; done
echo "postgres://choso_test:choso_test@127.0.0.1:5432/postgres"
