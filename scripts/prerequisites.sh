# What the tests need on this machine, installed with apt-get when missing. Sourced by test.sh and reliability.sh.
# Expects to run from the repository root with `set -e`.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=false
apt_install() {
  if [ "$apt_updated" = false ]; then
    echo "==> apt-get update"
    as_root apt-get update -qq
    apt_updated=true
  fi
  echo "==> apt-get install $*"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# PostgreSQL server binaries (initdb, pg_ctl): the tests start throwaway clusters from them.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  apt_install postgresql
fi
# PostgreSQL refuses to run as root: the tests run it as this user.
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --user-group --no-create-home postgres
fi

# `kill` (procps): tests send SIGTERM/SIGINT to the processes they start.
if ! [ -x "$(type -P kill)" ]; then
  apt_install procps
fi

# Chromium from Debian for the browser tests (Playwright drives it; it downloads no browser of its own).
if ! command -v chromium >/dev/null 2>&1; then
  apt_install chromium fonts-dejavu-core
fi
