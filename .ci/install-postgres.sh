#!/usr/bin/env bash
# Makes a PostgreSQL server available for the PostgreSQL store tests, idempotently: installs Debian's package if
# missing, starts its cluster, waits until it accepts connections, and creates (or resets the password of) the
# role and database the tests use. Progress goes to stderr; stdout is only the JDBC URL, so CI can do
#   export VOLT_TEST_PG_URL="$(bash .ci/install-postgres.sh)"
# Settings: VOLT_PG_PORT (5432), VOLT_PG_USER / VOLT_PG_PASSWORD / VOLT_PG_DATABASE (volt / volt / volt).
set -euo pipefail
exec 3>&1 1>&2

port="${VOLT_PG_PORT:-5432}"
user="${VOLT_PG_USER:-volt}"
password="${VOLT_PG_PASSWORD:-volt}"
database="${VOLT_PG_DATABASE:-volt}"
cluster=main

for name in "$user" "$database"; do
  if [[ ! "$name" =~ ^[a-z_][a-z0-9_]*$ ]]; then
    echo "install-postgres: '$name' must be a lower-case SQL identifier" && exit 2
  fi
done

if [[ $(id -u) -eq 0 ]]; then
  as_root() { "$@"; }
  as_postgres() { runuser -u postgres -- "$@"; }
else
  as_root() { sudo "$@"; }
  as_postgres() { sudo -u postgres "$@"; }
fi

installed_version() {
  ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1
}

if ! command -v pg_ctlcluster >/dev/null || [[ -z "$(installed_version)" ]] \
    || [[ ! -x "/usr/lib/postgresql/$(installed_version)/bin/postgres" ]]; then
  echo "install-postgres: installing Debian's postgresql package"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version="$(installed_version)"

cluster_field() { # prints column $1 of our cluster's pg_lsclusters line (3 = port, 4 = status)
  pg_lsclusters --no-header | awk -v v="$version" -v c="$cluster" -v f="$1" '$1 == v && $2 == c { print $f }'
}

if [[ -z "$(cluster_field 3)" ]]; then
  echo "install-postgres: creating cluster $version/$cluster on port $port"
  as_root pg_createcluster --port="$port" "$version" "$cluster" >/dev/null
fi
if [[ "$(cluster_field 3)" != "$port" ]]; then
  echo "install-postgres: cluster $version/$cluster listens on port $(cluster_field 3), not $port;" \
    "set VOLT_PG_PORT=$(cluster_field 3) or change its postgresql.conf" && exit 1
fi

# The socket directory lives on a tmpfs on many machines and is gone after a reboot.
as_root install -d -o postgres -g postgres -m 2775 /var/run/postgresql
if [[ "$(cluster_field 4)" != online* ]]; then
  echo "install-postgres: starting cluster $version/$cluster"
  as_root pg_ctlcluster "$version" "$cluster" start
fi

for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
  echo "install-postgres: PostgreSQL on 127.0.0.1:$port does not accept connections; see" \
    "/var/log/postgresql/postgresql-$version-$cluster.log" && exit 1
fi

psql_admin() { as_postgres psql -p "$port" -X -q -v ON_ERROR_STOP=1 "$@"; }
psql_admin -v user="$user" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'user', :'password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'user', :'password') \gexec
SQL
psql_admin -v user="$user" -v database="$database" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'user')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \gexec
SQL

echo "install-postgres: PostgreSQL $version ready on 127.0.0.1:$port (user $user, database $database)"
echo "jdbc:postgresql://127.0.0.1:$port/$database" >&3
