# shellcheck shell=bash
# apt-get for the install scripts (sourced): root or sudo, waiting for the
# dpkg lock, and an index update that survives a mirror caught mid-sync
# ("File has unexpected size ... Mirror sync in progress?"), which passes a
# little later.
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
APT=(apt-get -o DPkg::Lock::Timeout=600)

apt_update() {
  local attempt
  for attempt in 1 2 3 4 5; do
    $SUDO "${APT[@]}" update -qq && return 0
    echo "apt-get update failed (attempt $attempt of 5); retrying in 30 s" >&2
    sleep 30
  done
  return 1
}

apt_install() {  # PACKAGES...
  DEBIAN_FRONTEND=noninteractive $SUDO "${APT[@]}" install -y -qq "$@"
}
