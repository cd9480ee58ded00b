#!/usr/bin/env bash
# A real Docker sandbox for the e2e tests: containerd + dockerd (containerd image store) with buildx,
# a second dockerd on the classic image store (what GitHub's runners have; SANDBOX_CLASSIC_DOCKER_HOST),
# QEMU for foreign platforms, a plain-HTTP and a TLS registry (both htpasswd) on loopback, and a
# multi-arch busybox base image, built only from Debian packages (no Docker Hub here).
#
#   scripts/sandbox.sh up       install what is missing, start everything, write the env file
#   scripts/sandbox.sh down     stop what `up` started and undo its changes to the machine
#   scripts/sandbox.sh status   say what runs (exit 0 when fully up, 3 otherwise)
#   scripts/sandbox.sh clean    `down`, then delete the sandbox's state and download cache
#
# Everything it owns lives in three directories named after the project, so it never touches a
# Docker the machine already has (no /var/lib/docker, /run/docker.sock, docker0 or iptables):
#   SANDBOX_HOME   (/var/lib/build-scan-push-sandbox)  extracted binaries, engine + registry data, TLS
#   SANDBOX_RUN    (/run/build-scan-push-sandbox)      sockets, pid files, exec roots (gone on reboot)
#   SANDBOX_CACHE  (/var/cache/build-scan-push-sandbox) downloaded .debs and apt lists
# They sit outside the work tree so jest/eslint never crawl container snapshots, and so a fresh
# clone on the same machine (CI) reuses the downloads and even a sandbox that is already up.
# The env file for tests and people is written to $SANDBOX_HOME/env and copied to <repo>/.sandbox/env.
#
# Must run as root on Debian 12 (bookworm). Reaches only the Debian mirror the machine already uses.
set -euo pipefail

SCRIPT_PATH="$(readlink -f "${BASH_SOURCE[0]}")"
REPO_ROOT="$(cd "$(dirname "$SCRIPT_PATH")/.." && pwd)"
readonly SCRIPT_PATH REPO_ROOT

readonly SANDBOX_HOME="${SANDBOX_HOME:-/var/lib/build-scan-push-sandbox}"
readonly SANDBOX_RUN="${SANDBOX_RUN:-/run/build-scan-push-sandbox}"
readonly SANDBOX_CACHE="${SANDBOX_CACHE:-/var/cache/build-scan-push-sandbox}"
readonly PLAIN_PORT="${SANDBOX_PLAIN_PORT:-5000}"
readonly TLS_PORT="${SANDBOX_TLS_PORT:-5443}"
# Our own bridge instead of docker0, so a system Docker's bridge and address pool stay untouched.
readonly BRIDGE_NAME="${SANDBOX_BRIDGE_NAME:-bsp0}"
readonly BRIDGE_CIDR="${SANDBOX_BRIDGE_CIDR:-172.31.213.1/24}"

readonly ROOTFS="$SANDBOX_HOME/root"           # dpkg -x target for the engine and registry packages
readonly BIN_DIR="$SANDBOX_HOME/bin"           # first on dockerd's PATH: the trixie binaries
readonly DOCKER_CONFIG_DIR="$SANDBOX_HOME/docker-config"
readonly TLS_DIR="$SANDBOX_HOME/tls"
readonly CERTS_DIR="$SANDBOX_HOME/certs.d"     # skopeo --dest-cert-dir / --src-cert-dir layout
readonly STATE_DIR="$SANDBOX_HOME/state"       # what `up` changed outside our dirs (survives reboot)
readonly RUN_STATE_DIR="$SANDBOX_RUN/state"    # same, for changes a reboot undoes anyway
readonly LOG_DIR="$SANDBOX_HOME/logs"
readonly ENV_FILE="$SANDBOX_HOME/env"
readonly REPO_ENV_FILE="$REPO_ROOT/.sandbox/env"
readonly CONTAINERD_SOCK="$SANDBOX_RUN/containerd/containerd.sock"
readonly DOCKER_SOCK="$SANDBOX_RUN/docker.sock"
readonly CLASSIC_DOCKER_SOCK="$SANDBOX_RUN/docker-classic.sock"
readonly BASE_REPO="sandbox/busybox"
readonly BASE_IMAGE="localhost:$PLAIN_PORT/$BASE_REPO:latest"
readonly PLATFORMS="linux/amd64,linux/arm64"
# The system dirs the docker CLI searches for plugins whatever DOCKER_CONFIG says.
readonly SYSTEM_PLUGIN_DIRS=(/usr/local/lib/docker/cli-plugins /usr/local/libexec/docker/cli-plugins
  /usr/lib/docker/cli-plugins /usr/libexec/docker/cli-plugins)
readonly OUR_SYSTEM_PLUGIN_DIR=/usr/local/libexec/docker/cli-plugins
readonly SYSTEM_PACKAGES=(runc iptables tini qemu-user-static binfmt-support skopeo apache2-utils openssl curl
  iproute2)
readonly ENGINE_SUITE=trixie
readonly HOST_SUITE=bookworm
log() { printf '[sandbox] %s\n' "$*" >&2; }
die() {
  printf '[sandbox] ERROR: %s\n' "$*" >&2
  exit 1
}
now() { date +%s; }

# Time each step so slow cold runs show where the time went.
step() {
  local name="$1"
  shift
  local t0
  t0="$(now)"
  "$@"
  log "$name: $(($(now) - t0))s"
}

# ---------------------------------------------------------------------------------------------
# Preconditions

check_host() {
  [[ "$(id -u)" == 0 ]] || die "must run as root (it installs Debian packages, mounts binfmt_misc, starts dockerd)"
  [[ "$(uname -s)" == Linux ]] || die "needs Linux"
  local codename=''
  # shellcheck disable=SC1091
  codename="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")"
  [[ "$codename" == "$HOST_SUITE" ]] ||
    log "warning: written for Debian 12 ($HOST_SUITE), this is '${codename:-unknown}'; carrying on"
  HOST_ARCH="$(dpkg --print-architecture)"
  case "$HOST_ARCH" in
    amd64 | arm64) ;;
    *) die "host architecture $HOST_ARCH is not supported (amd64 or arm64 only)" ;;
  esac
}

# Serialise concurrent up/down (e.g. two jest runs starting at once).
take_lock() {
  mkdir -p "$SANDBOX_RUN"
  exec 9>"$SANDBOX_RUN/lock"
  flock -w 900 9 || die "another sandbox.sh holds $SANDBOX_RUN/lock for more than 15 minutes"
}

# ---------------------------------------------------------------------------------------------
# Installing

package_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

install_system_packages() {
  local missing=() p
  for p in "${SYSTEM_PACKAGES[@]}"; do
    package_installed "$p" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine's package lists may be stale or absent; refresh them once before installing.
  apt-get update -qq >"$LOG_DIR/apt-update.log" 2>&1 ||
    die "apt-get update failed (see $LOG_DIR/apt-update.log); the Debian mirror must be reachable"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$LOG_DIR/apt-install.log" 2>&1 ||
    die "apt-get install ${missing[*]} failed (see $LOG_DIR/apt-install.log)"
}

# The host's Debian mirror, read from its apt sources (deb822 first, then one-line lists), so the
# script follows whatever mirror or snapshot the machine is configured with.
debian_mirror() {
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    uri="$(awk -v suite="$HOST_SUITE" '
      BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; ok_suite = 0; ok_type = 0; enabled = 1
        for (i = 1; i <= NF; i++) {
          line = $i
          if (line ~ /^[ \t]*#/) continue
          split(line, kv, ":")
          key = tolower(kv[1]); val = substr(line, length(kv[1]) + 2)
          gsub(/^[ \t]+|[ \t]+$/, "", val)
          if (key == "types" && (" " val " ") ~ / deb /) ok_type = 1
          if (key == "suites" && (" " val " ") ~ (" " suite " ")) ok_suite = 1
          if (key == "uris") uris = val
          if (key == "enabled" && tolower(val) == "no") enabled = 0
        }
        if (ok_type && ok_suite && enabled && uris != "") { split(uris, u, " "); print u[1]; exit }
      }' "$f")"
    [[ -n "$uri" ]] && {
      printf '%s\n' "${uri%/}"
      return 0
    }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    uri="$(awk -v suite="$HOST_SUITE" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit }
      }' "$f")"
    [[ -n "$uri" ]] && {
      printf '%s\n' "${uri%/}"
      return 0
    }
  done
  die "no '$HOST_SUITE' Debian source found in /etc/apt/sources.list{,.d/}; cannot locate the mirror"
}

# apt options for our private package lists: the machine's own sources and lists stay untouched.
apt_private_opts() {
  APT_OPTS=(
    -o "Dir::Etc::SourceList=$SANDBOX_CACHE/apt/sources.list"
    -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$SANDBOX_CACHE/apt/lists"
    -o "Dir::Cache=$SANDBOX_CACHE/apt/cache"
    -o "APT::Architectures=amd64,arm64"
    -o "APT::Sandbox::User=root"
  )
}

apt_private_update() {
  local mirror
  mirror="$(debian_mirror)"
  mkdir -p "$SANDBOX_CACHE/apt/lists/partial" "$SANDBOX_CACHE/apt/cache/archives/partial"
  printf 'deb [arch=%s] %s %s main\ndeb [arch=amd64,arm64] %s %s main\n' \
    "$HOST_ARCH" "$mirror" "$ENGINE_SUITE" "$mirror" "$HOST_SUITE" >"$SANDBOX_CACHE/apt/sources.list"
  log "refreshing private package lists ($ENGINE_SUITE $HOST_ARCH, $HOST_SUITE amd64+arm64)"
  apt-get "${APT_OPTS[@]}" update -qq >"$LOG_DIR/apt-private-update.log" 2>&1 ||
    die "apt-get update of the private $ENGINE_SUITE/$HOST_SUITE lists failed (see $LOG_DIR/apt-private-update.log)"
}

# Packages we extract rather than install, as "name:arch/suite". The registry is extracted because
# its install script would start a system registry on :5000.
wanted_debs() {
  WANTED_DEBS=(
    "docker.io:$HOST_ARCH/$ENGINE_SUITE"
    "containerd:$HOST_ARCH/$ENGINE_SUITE"
    "docker-buildx:$HOST_ARCH/$ENGINE_SUITE"
    "docker-registry:$HOST_ARCH/$HOST_SUITE"
    "busybox-static:amd64/$HOST_SUITE"
    "busybox-static:arm64/$HOST_SUITE"
  )
  # The machine image ships a docker client (28.x, not from a package); bring trixie's if it lacks one.
  if ! system_docker_client >/dev/null; then
    WANTED_DEBS+=("docker-cli:$HOST_ARCH/$ENGINE_SUITE")
  fi
}

deb_cache_file() {
  local spec="$1" name arch
  name="${spec%%:*}"
  arch="${spec#*:}"
  arch="${arch%%/*}"
  printf '%s/debs/%s_%s.deb\n' "$SANDBOX_CACHE" "$name" "$arch"
}

download_debs() {
  local missing=() spec tmp f name arch
  wanted_debs
  for spec in "${WANTED_DEBS[@]}"; do
    [[ -s "$(deb_cache_file "$spec")" ]] || missing+=("$spec")
  done
  ((${#missing[@]} == 0)) && return 0
  apt_private_opts
  mkdir -p "$SANDBOX_CACHE/debs"
  tmp="$(mktemp -d "$SANDBOX_CACHE/download.XXXXXX")"
  # Reuse lists younger than a day; otherwise (or when a download 404s on stale lists) refresh.
  if [[ -z "$(find "$SANDBOX_CACHE/apt/sources.list" -mmin -1440 2>/dev/null)" ]] ||
    [[ ! -d "$SANDBOX_CACHE/apt/lists" ]]; then
    apt_private_update
  fi
  log "downloading ${missing[*]}"
  if ! (cd "$tmp" && apt-get "${APT_OPTS[@]}" download "${missing[@]}" >"$LOG_DIR/apt-download.log" 2>&1); then
    apt_private_update
    (cd "$tmp" && apt-get "${APT_OPTS[@]}" download "${missing[@]}" >"$LOG_DIR/apt-download.log" 2>&1) ||
      die "apt-get download ${missing[*]} failed (see $LOG_DIR/apt-download.log)"
  fi
  for f in "$tmp"/*.deb; do
    name="$(dpkg-deb -f "$f" Package)"
    arch="$(dpkg-deb -f "$f" Architecture)"
    mv -f "$f" "$SANDBOX_CACHE/debs/${name}_${arch}.deb"
  done
  rm -rf "$tmp"
}

system_docker_client() {
  local c
  c="$(command -v docker 2>/dev/null)" || return 1
  # Not one of ours: we never put our bin dir on the caller's PATH, but be safe.
  [[ "$c" == "$BIN_DIR"/* ]] && return 1
  printf '%s\n' "$c"
}

# Extract the engine, buildx and registry into $ROOTFS (never over the system's files). Re-extract
# only when the set of .debs changed.
extract_debs() {
  local spec stamp debs=() f
  wanted_debs
  for spec in "${WANTED_DEBS[@]}"; do
    [[ "$spec" == busybox-static:* ]] || debs+=("$(deb_cache_file "$spec")")
  done
  stamp="$(sha256sum "${debs[@]}" | sha256sum | cut -c1-64)"
  if [[ "$(cat "$ROOTFS.stamp" 2>/dev/null || true)" != "$stamp" ]]; then
    log "extracting ${#debs[@]} packages into $ROOTFS"
    rm -rf "$ROOTFS"
    mkdir -p "$ROOTFS"
    # xz decompression is the slow part: unpack the packages side by side.
    local pids=() pid
    for f in "${debs[@]}"; do
      dpkg -x "$f" "$ROOTFS" &
      pids+=("$!")
    done
    for pid in "${pids[@]}"; do wait "$pid" || die "dpkg -x failed for one of: ${debs[*]}"; done
    printf '%s\n' "$stamp" >"$ROOTFS.stamp"
    rm -f "$SANDBOX_HOME"/base-context/busybox-*
  fi

  # dockerd finds containerd, its shim, ctr and docker-proxy through PATH; one flat dir keeps that
  # PATH short and obviously ours.
  rm -rf "$BIN_DIR"
  mkdir -p "$BIN_DIR"
  for f in usr/sbin/dockerd usr/sbin/docker-proxy usr/bin/containerd usr/bin/containerd-shim-runc-v2 \
    usr/bin/ctr usr/bin/docker-registry usr/libexec/docker/cli-plugins/docker-buildx; do
    [[ -x "$ROOTFS/$f" ]] || die "expected $f in the extracted packages, it is missing"
    ln -s "$ROOTFS/$f" "$BIN_DIR/${f##*/}"
  done
  local client
  if client="$(system_docker_client)"; then
    ln -s "$client" "$BIN_DIR/docker"
  else
    ln -s "$ROOTFS/usr/bin/docker" "$BIN_DIR/docker"
  fi

  # busybox binaries for the base image, one per platform.
  mkdir -p "$SANDBOX_HOME/base-context"
  for arch in amd64 arm64; do
    f="$SANDBOX_HOME/base-context/busybox-$arch"
    if [[ ! -x "$f" ]]; then
      local x
      x="$(mktemp -d)"
      dpkg -x "$SANDBOX_CACHE/debs/busybox-static_${arch}.deb" "$x"
      install -m 0755 "$x/bin/busybox" "$f"
      rm -rf "$x"
    fi
  done
}

# ---------------------------------------------------------------------------------------------
# Records of what we changed outside our own dirs, so `down` undoes exactly that.

record() { printf '%s\n' "$2" >>"$1"; }
recorded() { [[ -f "$1" ]] && grep -qxF -- "$2" "$1"; }

# buildx must be found even when the action later runs docker with an isolated DOCKER_CONFIG, so
# besides $DOCKER_CONFIG/cli-plugins we link it into a system plugin dir, but only if no docker-buildx
# is there already (never overwrite one).
install_buildx_plugin() {
  mkdir -p "$DOCKER_CONFIG_DIR/cli-plugins"
  ln -sfn "$BIN_DIR/docker-buildx" "$DOCKER_CONFIG_DIR/cli-plugins/docker-buildx"
  local d link="$OUR_SYSTEM_PLUGIN_DIR/docker-buildx"
  if recorded "$STATE_DIR/created" "$link"; then
    return 0
  fi
  for d in "${SYSTEM_PLUGIN_DIRS[@]}"; do
    if [[ -e "$d/docker-buildx" || -L "$d/docker-buildx" ]]; then
      log "note: $d/docker-buildx already exists; docker with a foreign DOCKER_CONFIG will use that one"
      return 0
    fi
  done
  make_dirs_recorded "$OUR_SYSTEM_PLUGIN_DIR"
  ln -s "$BIN_DIR/docker-buildx" "$link"
  record "$STATE_DIR/created" "$link"
}

# mkdir -p that records each directory it creates (parents first), for `down` to remove.
make_dirs_recorded() {
  local dir="$1" missing=()
  while [[ ! -d "$dir" ]]; do
    missing=("$dir" "${missing[@]}")
    dir="$(dirname "$dir")"
  done
  for dir in "${missing[@]}"; do
    mkdir "$dir"
    record "$STATE_DIR/created" "$dir/"
  done
}

# QEMU via binfmt_misc, so RUN steps of foreign-platform builds execute.
enable_qemu() {
  local bm=/proc/sys/fs/binfmt_misc
  if [[ ! -e "$bm/register" ]]; then
    local err
    if ! err="$(mount -t binfmt_misc binfmt_misc "$bm" 2>&1)"; then
      die "binfmt_misc is not mounted at $bm and mounting it failed: $err. Foreign-platform RUN steps need it: run on a host (or privileged container) where 'mount -t binfmt_misc binfmt_misc $bm' works, or mount it beforehand"
    fi
    record "$RUN_STATE_DIR/changed" "mounted:$bm"
  fi
  local f name enabled=0
  for f in /usr/share/binfmts/qemu-*; do
    [[ -f "$f" ]] || continue
    name="${f##*/}"
    # Skip the host's own architecture: qemu-user-static does not register it.
    if [[ -f "$bm/$name" ]] && head -n1 "$bm/$name" | grep -qx enabled; then
      enabled=$((enabled + 1))
      continue
    fi
    if update-binfmts --enable "$name" >/dev/null 2>&1; then
      record "$RUN_STATE_DIR/changed" "binfmt:$name"
      enabled=$((enabled + 1))
    fi
  done
  [[ -f "$bm/qemu-aarch64" || "$HOST_ARCH" == arm64 ]] ||
    die "QEMU for arm64 is not registered in $bm (update-binfmts --enable qemu-aarch64 failed); is qemu-user-static installed?"
  [[ -f "$bm/qemu-x86_64" || "$HOST_ARCH" == amd64 ]] ||
    die "QEMU for amd64 is not registered in $bm (update-binfmts --enable qemu-x86_64 failed)"
  log "QEMU registered for $enabled foreign architectures"
}

create_bridge() {
  if ip link show "$BRIDGE_NAME" >/dev/null 2>&1; then
    recorded "$RUN_STATE_DIR/changed" "bridge:$BRIDGE_NAME" ||
      die "network interface $BRIDGE_NAME exists but was not created by this script; set SANDBOX_BRIDGE_NAME"
    return 0
  fi
  ip link add name "$BRIDGE_NAME" type bridge ||
    die "cannot create bridge $BRIDGE_NAME (needs CAP_NET_ADMIN and the bridge driver)"
  record "$RUN_STATE_DIR/changed" "bridge:$BRIDGE_NAME"
  ip addr add "$BRIDGE_CIDR" dev "$BRIDGE_NAME"
  ip link set "$BRIDGE_NAME" up
}

# ---------------------------------------------------------------------------------------------
# Processes

# The pid in $SANDBOX_RUN/NAME.pid if that process runs one of our extracted binaries.
our_pid() {
  local pid exe
  pid="$(cat "$SANDBOX_RUN/$1.pid" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null)" || return 1
  [[ "$exe" == "$ROOTFS"/* ]] || return 1
  printf '%s\n' "$pid"
}

is_running() { our_pid "$1" >/dev/null; }

# Start a daemon in its own session (it outlives this script and the jest run that called it),
# with output going to a log so the caller's pipes close.
start_daemon() {
  local name="$1"
  shift
  (
    # Close the lock's fd, or the daemon would hold the lock for its whole life.
    exec 9>&-
    export PATH="$BIN_DIR:/usr/sbin:/usr/bin:/sbin:/bin"
    exec setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null
  ) &
  printf '%s\n' "$!" >"$SANDBOX_RUN/$name.pid"
}

wait_until() {
  local what="$1" timeout="$2" name="$3"
  shift 3
  local deadline=$(($(now) + timeout))
  until "$@" >/dev/null 2>&1; do
    if ! is_running "$name"; then
      tail -n 30 "$LOG_DIR/$name.log" >&2 || true
      die "$name exited while waiting for $what (log: $LOG_DIR/$name.log)"
    fi
    if (($(now) > deadline)); then
      tail -n 30 "$LOG_DIR/$name.log" >&2 || true
      die "$what not ready after ${timeout}s (log: $LOG_DIR/$name.log)"
    fi
    sleep 0.2
  done
}

stop_daemon() {
  local name="$1" timeout="$2" pid i
  if pid="$(our_pid "$name")"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 5; i++)); do
      [[ -d "/proc/$pid" ]] || break
      sleep 0.2
    done
    if [[ -d "/proc/$pid" ]]; then
      log "$name did not stop in ${timeout}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
    fi
    log "stopped $name"
  fi
  rm -f "$SANDBOX_RUN/$name.pid"
}

port_free_or_ours() {
  local port="$1" name="$2" setting="$3"
  is_running "$name" && return 0
  if ss -ltnH "sport = :$port" | grep -q .; then
    die "port $port is in use by another process ($(ss -ltnpH "sport = :$port" | head -n1)); stop it or choose another port with $setting=PORT (for up, down and status alike)"
  fi
}

# Whatever their configured roots, containerd (shim sockets), dockerd (plugin discovery) and the
# builder's runc create these fixed dirs; note the ones that are new so `down` removes them if empty.
note_engine_run_dirs() {
  local d
  for d in /run/containerd /run/docker /run/runc; do
    [[ -e "$d" ]] || recorded "$RUN_STATE_DIR/changed" "rundir:$d" || record "$RUN_STATE_DIR/changed" "rundir:$d"
  done
}

start_containerd() {
  is_running containerd && return 0
  mkdir -p "$SANDBOX_HOME/containerd" "$SANDBOX_RUN/containerd"
  # CRI is for Kubernetes and wants CNI; the opt plugin would otherwise create /opt/containerd.
  cat >"$SANDBOX_HOME/containerd.toml" <<EOF
version = 2
root = "$SANDBOX_HOME/containerd"
state = "$SANDBOX_RUN/containerd"
disabled_plugins = ["io.containerd.grpc.v1.cri"]

[grpc]
  address = "$CONTAINERD_SOCK"

[debug]
  level = "warn"

[plugins."io.containerd.internal.v1.opt"]
  path = "$SANDBOX_HOME/containerd-opt"
EOF
  note_engine_run_dirs
  start_daemon containerd "$BIN_DIR/containerd" --config "$SANDBOX_HOME/containerd.toml"
  wait_until "containerd" 30 containerd "$BIN_DIR/ctr" --address "$CONTAINERD_SOCK" version
}

# One engine: start_engine NAME DIR SOCKET SNAPSHOTTER(true|false) BRIDGE [CONTAINERD_NAMESPACE];
# DIR names its data root, exec root and config under SANDBOX_HOME / SANDBOX_RUN.
# Both engines share our containerd, each in its own namespaces, data root and exec root.
start_engine() {
  local name="$1" dir="$2" sock="$3" snapshotter="$4" bridge="$5" namespace="${6:-}"
  is_running "$name" && return 0
  local init_path=/usr/bin/tini-static namespaces=''
  [[ -x "$init_path" ]] || init_path="$(command -v tini)"
  if [[ -n "$namespace" ]]; then
    namespaces="\"containerd-namespace\": \"$namespace\", \"containerd-plugins-namespace\": \"plugins.$namespace\","
  fi
  mkdir -p "$SANDBOX_HOME/$dir" "$SANDBOX_RUN/$dir"
  # Own data root, exec root, socket, bridge and cgroup parent; no iptables/ip_forward changes: the
  # builds need no outbound network (there is none) and the registries are reached from the host.
  cat >"$SANDBOX_HOME/$dir.json" <<EOF
{
  "data-root": "$SANDBOX_HOME/$dir",
  "exec-root": "$SANDBOX_RUN/$dir",
  "pidfile": "$SANDBOX_RUN/$dir/dockerd.pid",
  "hosts": ["unix://$sock"],
  "containerd": "$CONTAINERD_SOCK",
  $namespaces
  "group": "root",
  "bridge": "$bridge",
  "iptables": false,
  "ip-forward": false,
  "ip-masq": false,
  "cgroup-parent": "build-scan-push-sandbox",
  "init-path": "$init_path",
  "userland-proxy-path": "$BIN_DIR/docker-proxy",
  "log-level": "warn",
  "features": { "containerd-snapshotter": $snapshotter }
}
EOF
  note_engine_run_dirs
  start_daemon "$name" "$BIN_DIR/dockerd" --config-file "$SANDBOX_HOME/$dir.json"
  wait_until "$name" 60 "$name" "$BIN_DIR/docker" --host "unix://$sock" version
}

start_dockerd() { start_engine dockerd docker "$DOCKER_SOCK" true "$BRIDGE_NAME"; }

# The classic image store, as on GitHub's runners: its default builder cannot export an OCI layout,
# which is what the action's builder decision is tested against. It never runs a build here (its
# builder would need the moby/buildkit image from Docker Hub), so it has no bridge.
start_dockerd_classic() { start_engine dockerd-classic docker-classic "$CLASSIC_DOCKER_SOCK" false none moby-classic; }

make_tls() {
  mkdir -p "$TLS_DIR"
  chmod 0700 "$TLS_DIR"
  # Keep the CA across runs (so trust set up from it stays valid) unless it is about to expire.
  if ! openssl x509 -checkend 86400 -noout -in "$TLS_DIR/ca.crt" >/dev/null 2>&1; then
    log "generating a sandbox CA"
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -sha256 \
      -subj "/CN=build-scan-push sandbox CA" -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.crt" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      >/dev/null 2>&1 || die "openssl could not create the sandbox CA"
    rm -f "$TLS_DIR/server.crt"
  fi
  if ! openssl x509 -checkend 86400 -noout -in "$TLS_DIR/server.crt" >/dev/null 2>&1; then
    openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=localhost" \
      -keyout "$TLS_DIR/server.key" -out "$TLS_DIR/server.csr" >/dev/null 2>&1
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' \
      >"$TLS_DIR/server.ext"
    openssl x509 -req -in "$TLS_DIR/server.csr" -CA "$TLS_DIR/ca.crt" -CAkey "$TLS_DIR/ca.key" \
      -CAcreateserial -days 90 -sha256 -extfile "$TLS_DIR/server.ext" -out "$TLS_DIR/server.crt" \
      >/dev/null 2>&1 || die "openssl could not sign the registry certificate"
  fi
  chmod 0600 "$TLS_DIR"/*.key
  # skopeo's --dest-cert-dir wants a dir holding ca.crt; one per host:port like certs.d.
  local hp
  for hp in "localhost:$TLS_PORT" "127.0.0.1:$TLS_PORT"; do
    mkdir -p "$CERTS_DIR/$hp"
    cp "$TLS_DIR/ca.crt" "$CERTS_DIR/$hp/ca.crt"
  done
}

# Also trust the CA where the engine and skopeo look by default, without replacing anyone's file.
trust_ca_system_wide() {
  local hp f
  for hp in "localhost:$TLS_PORT" "127.0.0.1:$TLS_PORT"; do
    f="/etc/docker/certs.d/$hp/ca.crt"
    if recorded "$STATE_DIR/created" "$f"; then
      cp "$TLS_DIR/ca.crt" "$f"
    elif [[ -e "$f" ]]; then
      cmp -s "$f" "$TLS_DIR/ca.crt" ||
        log "note: $f exists and is not ours; left alone (tests pass the CA explicitly)"
    else
      make_dirs_recorded "/etc/docker/certs.d/$hp"
      cp "$TLS_DIR/ca.crt" "$f"
      record "$STATE_DIR/created" "$f"
    fi
  done
}

random_token() { openssl rand -hex "$1"; }

# Fresh random credentials whenever the registries start from stopped; kept while they run.
make_credentials() {
  if is_running registry-plain || is_running registry-tls; then
    [[ -s "$SANDBOX_HOME/credentials" ]] && return 0
    stop_daemon registry-plain 10
    stop_daemon registry-tls 10
  fi
  local plain_user tls_user plain_pw tls_pw
  plain_user="plain-$(random_token 3)"
  tls_user="tls-$(random_token 3)"
  plain_pw="$(random_token 16)"
  tls_pw="$(random_token 16)"
  (
    umask 077
    printf 'PLAIN_USER=%s\nPLAIN_PASSWORD=%s\nTLS_USER=%s\nTLS_PASSWORD=%s\n' \
      "$plain_user" "$plain_pw" "$tls_user" "$tls_pw" >"$SANDBOX_HOME/credentials"
    htpasswd -Bbn "$plain_user" "$plain_pw" >"$SANDBOX_HOME/htpasswd-plain" 2>/dev/null
    htpasswd -Bbn "$tls_user" "$tls_pw" >"$SANDBOX_HOME/htpasswd-tls" 2>/dev/null
  )
}

load_credentials() {
  # shellcheck disable=SC1091
  . "$SANDBOX_HOME/credentials"
}

start_registry() {
  local name="$1" port="$2" tls="$3" setting="$4"
  is_running "$name" && return 0
  port_free_or_ours "$port" "$name" "$setting"
  mkdir -p "$SANDBOX_HOME/$name"
  local tls_block=''
  if [[ "$tls" == yes ]]; then
    tls_block="  tls:
    certificate: $TLS_DIR/server.crt
    key: $TLS_DIR/server.key"
  fi
  (
    umask 077
    cat >"$SANDBOX_HOME/$name.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $SANDBOX_HOME/$name
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: $(random_token 16)
$tls_block
auth:
  htpasswd:
    realm: build-scan-push-sandbox
    path: $SANDBOX_HOME/htpasswd-${name#registry-}
EOF
  )
  start_daemon "$name" "$BIN_DIR/docker-registry" serve "$SANDBOX_HOME/$name.yml"
  local url="http://127.0.0.1:$port/v2/" curl_tls=()
  if [[ "$tls" == yes ]]; then
    url="https://localhost:$port/v2/"
    curl_tls=(--cacert "$TLS_DIR/ca.crt")
  fi
  # Ready when it answers /v2/ with 401: up, and asking for the credentials.
  # shellcheck disable=SC2016  # expanded by the inner bash, on purpose
  wait_until "$name on port $port" 30 "$name" \
    bash -c '[[ "$(curl -s -o /dev/null -w "%{http_code}" "$@")" == 401 ]]' _ "${curl_tls[@]}" "$url"
}

# shellcheck disable=SC2153  # PLAIN_USER & co. come from load_credentials
write_docker_config() {
  load_credentials
  (
    umask 077
    cat >"$DOCKER_CONFIG_DIR/config.json" <<EOF
{
  "auths": {
    "localhost:$PLAIN_PORT": { "auth": "$(printf '%s:%s' "$PLAIN_USER" "$PLAIN_PASSWORD" | base64 -w0)" },
    "localhost:$TLS_PORT": { "auth": "$(printf '%s:%s' "$TLS_USER" "$TLS_PASSWORD" | base64 -w0)" }
  }
}
EOF
  )
}

sandbox_docker() {
  DOCKER_HOST="unix://$DOCKER_SOCK" DOCKER_CONFIG="$DOCKER_CONFIG_DIR" "$BIN_DIR/docker" "$@"
}

base_image_digest() {
  load_credentials
  curl -fsS -I -u "$PLAIN_USER:$PLAIN_PASSWORD" \
    -H 'Accept: application/vnd.oci.image.index.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
    "http://127.0.0.1:$PLAIN_PORT/v2/$BASE_REPO/manifests/latest" 2>/dev/null |
    tr -d '\r' | awk 'tolower($1) == "docker-content-digest:" { print $2 }' || true
}

# FROM scratch + busybox, linux/amd64 + linux/arm64; the arm64 RUN step proves QEMU works.
publish_base_image() {
  [[ -n "$(base_image_digest)" ]] && return 0
  log "building and pushing $BASE_IMAGE ($PLATFORMS)"
  cat >"$SANDBOX_HOME/base-context/Dockerfile" <<'EOF'
FROM scratch
ARG TARGETARCH
COPY busybox-${TARGETARCH} /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
EOF
  sandbox_docker buildx build --platform "$PLATFORMS" --provenance=false --sbom=false \
    --tag "$BASE_IMAGE" --push "$SANDBOX_HOME/base-context" >"$LOG_DIR/base-image.log" 2>&1 ||
    {
      tail -n 30 "$LOG_DIR/base-image.log" >&2
      die "building the base image failed (log: $LOG_DIR/base-image.log)"
    }
  [[ -n "$(base_image_digest)" ]] || die "pushed $BASE_IMAGE but the registry does not serve it"
}

write_env_file() {
  load_credentials
  local client digest
  client="$(readlink -f "$BIN_DIR/docker")"
  digest="$(base_image_digest)"
  (
    umask 077
    cat >"$ENV_FILE.tmp" <<EOF
# build-scan-push sandbox, written by scripts/sandbox.sh up. Secrets: keep private (mode 0600).
# Use from a shell: . .sandbox/env ; then "\$SANDBOX_DOCKER" or docker buildx ... talk to the sandbox.
export DOCKER_HOST='unix://$DOCKER_SOCK'
export DOCKER_CONFIG='$DOCKER_CONFIG_DIR'
export SANDBOX_CLASSIC_DOCKER_HOST='unix://$CLASSIC_DOCKER_SOCK'
export SANDBOX_DOCKER='$client'
export SANDBOX_SKOPEO='$(command -v skopeo)'
export SANDBOX_BIN='$BIN_DIR'
export SANDBOX_PLATFORMS='$PLATFORMS'
export SANDBOX_PLAIN_REGISTRY='localhost:$PLAIN_PORT'
export SANDBOX_PLAIN_USER='$PLAIN_USER'
export SANDBOX_PLAIN_PASSWORD='$PLAIN_PASSWORD'
export SANDBOX_TLS_REGISTRY='localhost:$TLS_PORT'
export SANDBOX_TLS_USER='$TLS_USER'
export SANDBOX_TLS_PASSWORD='$TLS_PASSWORD'
export SANDBOX_TLS_CA='$TLS_DIR/ca.crt'
export SANDBOX_TLS_CERT_DIR='$CERTS_DIR/localhost:$TLS_PORT'
export SANDBOX_AUTHFILE='$DOCKER_CONFIG_DIR/config.json'
export SANDBOX_BASE_IMAGE='$BASE_IMAGE'
export SANDBOX_BASE_DIGEST='$digest'
EOF
    mv -f "$ENV_FILE.tmp" "$ENV_FILE"
    mkdir -p "$REPO_ROOT/.sandbox"
    cp "$ENV_FILE" "$REPO_ENV_FILE"
  )
}

# A hash of this script: a sandbox started by a different version is restarted.
config_stamp() { sha256sum "$SCRIPT_PATH" | cut -c1-64; }
# >>> client tools: not in the stamp
# Client tools the tests run (cosign) change no daemon, so adding one must not restart a sandbox
# others are using: the stamp is the hash of this script without these marked blocks.
config_stamp() {
  sed '/^# >>> client tools/,/^# <<< client tools/d' "$SCRIPT_PATH" | sha256sum | cut -c1-64
}

readonly TOOLS_DIR="$SANDBOX_HOME/tools"

# cosign from trixie (2.5.0), extracted like the engine: key-based signing with --tlog-upload=false
# works offline against the loopback registries. Its binary ends up in $TOOLS_DIR/bin.
install_client_tools() {
  local deb stamp
  deb="$(deb_cache_file "cosign:$HOST_ARCH/$ENGINE_SUITE")"
  if [[ ! -s "$deb" ]]; then
    apt_private_opts
    mkdir -p "$SANDBOX_CACHE/debs"
    local tmp
    tmp="$(mktemp -d "$SANDBOX_CACHE/download.XXXXXX")"
    [[ -d "$SANDBOX_CACHE/apt/lists" ]] || apt_private_update
    if ! (cd "$tmp" && apt-get "${APT_OPTS[@]}" download "cosign:$HOST_ARCH/$ENGINE_SUITE" \
      >"$LOG_DIR/apt-download-tools.log" 2>&1); then
      apt_private_update
      (cd "$tmp" && apt-get "${APT_OPTS[@]}" download "cosign:$HOST_ARCH/$ENGINE_SUITE" \
        >"$LOG_DIR/apt-download-tools.log" 2>&1) ||
        die "apt-get download cosign failed (see $LOG_DIR/apt-download-tools.log)"
    fi
    mv -f "$tmp"/cosign_*.deb "$deb"
    rm -rf "$tmp"
  fi
  stamp="$(sha256sum "$deb" | cut -c1-64)"
  if [[ "$(cat "$TOOLS_DIR/root.stamp" 2>/dev/null || true)" != "$stamp" ]]; then
    rm -rf "$TOOLS_DIR"
    mkdir -p "$TOOLS_DIR/root" "$TOOLS_DIR/bin"
    dpkg -x "$deb" "$TOOLS_DIR/root"
    [[ -x "$TOOLS_DIR/root/usr/bin/cosign" ]] || die "expected usr/bin/cosign in $deb"
    ln -s "$TOOLS_DIR/root/usr/bin/cosign" "$TOOLS_DIR/bin/cosign"
    printf '%s\n' "$stamp" >"$TOOLS_DIR/root.stamp"
  fi
}

# The env file names the tools (appended, so the daemon part of the file stays as write_env_file wrote it).
note_client_tools() {
  [[ -f "$ENV_FILE" ]] || return 0
  grep -q '^export SANDBOX_COSIGN=' "$ENV_FILE" ||
    printf "export SANDBOX_COSIGN='%s'\n" "$TOOLS_DIR/bin/cosign" >>"$ENV_FILE"
}
# <<< client tools

readonly DAEMONS=(containerd dockerd dockerd-classic registry-plain registry-tls)

all_running() {
  local n
  for n in "${DAEMONS[@]}"; do is_running "$n" || return 1; done
}

any_running() {
  local n
  for n in "${DAEMONS[@]}"; do is_running "$n" && return 0; done
  return 1
}

# ---------------------------------------------------------------------------------------------
# Commands

cmd_up() {
  local t0
  t0="$(now)"
  check_host
  take_lock
  mkdir -p "$SANDBOX_HOME" "$SANDBOX_CACHE" "$LOG_DIR" "$STATE_DIR" "$RUN_STATE_DIR"
  chmod 0700 "$SANDBOX_HOME"
# >>> client tools
  step "client tools" install_client_tools
  note_client_tools
# <<< client tools

  if all_running && [[ "$(cat "$SANDBOX_RUN/stamp" 2>/dev/null || true)" == "$(config_stamp)" ]] &&
    [[ -f "$ENV_FILE" ]] && [[ -n "$(base_image_digest)" ]]; then
    mkdir -p "$REPO_ROOT/.sandbox"
    (umask 077 && cp "$ENV_FILE" "$REPO_ENV_FILE")
    log "already up ($(($(now) - t0))s); env: $REPO_ENV_FILE"
    return 0
  fi
  if [[ -f "$SANDBOX_RUN/stamp" && "$(cat "$SANDBOX_RUN/stamp")" != "$(config_stamp)" ]]; then
    log "sandbox was started by another version of this script; restarting it"
    stop_all
  fi

  step "packages" install_system_packages
  # Fail before downloading or starting anything if a registry port is taken.
  port_free_or_ours "$PLAIN_PORT" registry-plain SANDBOX_PLAIN_PORT
  port_free_or_ours "$TLS_PORT" registry-tls SANDBOX_TLS_PORT
  step "downloads" download_debs
  # Re-extracting under running daemons would pull binaries from under them.
  if ! any_running; then step "extract" extract_debs; fi
  step "buildx plugin" install_buildx_plugin
  step "qemu" enable_qemu
  step "bridge" create_bridge
  step "containerd" start_containerd
  step "dockerd" start_dockerd
  step "dockerd (classic image store)" start_dockerd_classic
  step "tls" make_tls
  trust_ca_system_wide
  make_credentials
  step "registries" start_registries
  write_docker_config
  step "base image" publish_base_image
  config_stamp >"$SANDBOX_RUN/stamp"
  write_env_file
# >>> client tools
  note_client_tools
  cp "$ENV_FILE" "$REPO_ENV_FILE"
# <<< client tools
  log "up in $(($(now) - t0))s; env: $REPO_ENV_FILE (DOCKER_HOST=unix://$DOCKER_SOCK)"
}

start_registries() {
  start_registry registry-plain "$PLAIN_PORT" no SANDBOX_PLAIN_PORT
  start_registry registry-tls "$TLS_PORT" yes SANDBOX_TLS_PORT
}

# Any process still running one of our extracted binaries (e.g. a containerd shim).
kill_leftovers() {
  local p exe pids=()
  for p in /proc/[0-9]*; do
    exe="$(readlink "$p/exe" 2>/dev/null)" || continue
    [[ "$exe" == "$ROOTFS"/* ]] && pids+=("${p#/proc/}")
  done
  ((${#pids[@]} == 0)) && return 0
  log "stopping leftover processes: ${pids[*]}"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  sleep 2
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

unmount_leftovers() {
  local m
  # Deepest first; these are only netns/overlay mounts dockerd or containerd left behind.
  awk -v run="$SANDBOX_RUN" -v home="$SANDBOX_HOME" '
    index($2, run "/") == 1 || index($2, home "/") == 1 { print $2 }' /proc/mounts | sort -r |
    while IFS= read -r m; do umount -l "$m" 2>/dev/null || log "could not unmount $m"; done
}

stop_all() {
  stop_daemon registry-tls 10
  stop_daemon registry-plain 10
  stop_daemon dockerd-classic 30
  stop_daemon dockerd 30
  stop_daemon containerd 15
  kill_leftovers
  unmount_leftovers
  rm -f "$SANDBOX_RUN/stamp"
}

# Undo the machine-level changes `up` recorded, newest first.
undo_changes() {
  local line
  if [[ -f "$RUN_STATE_DIR/changed" ]]; then
    tac "$RUN_STATE_DIR/changed" | while IFS= read -r line; do
      case "$line" in
        bridge:*) ip link del "${line#bridge:}" 2>/dev/null || true ;;
        binfmt:*) update-binfmts --disable "${line#binfmt:}" >/dev/null 2>&1 || true ;;
        mounted:*) umount "${line#mounted:}" 2>/dev/null || log "could not unmount ${line#mounted:}" ;;
        rundir:*) find "${line#rundir:}" -depth -type d -empty -delete 2>/dev/null || true ;;
      esac
    done
    rm -f "$RUN_STATE_DIR/changed"
  fi
  if [[ -f "$STATE_DIR/created" ]]; then
    tac "$STATE_DIR/created" | while IFS= read -r line; do
      if [[ "$line" == */ ]]; then
        rmdir "$line" 2>/dev/null || true
      else
        rm -f "$line"
      fi
    done
    rm -f "$STATE_DIR/created"
  fi
  # dockerd's cgroup-parent dirs, empty once its containers are gone.
  local d
  for d in /sys/fs/cgroup/build-scan-push-sandbox /sys/fs/cgroup/*/build-scan-push-sandbox; do
    if [[ -d "$d" ]]; then find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true; fi
  done
}

cmd_down() {
  check_host
  take_lock
  stop_all
  undo_changes
  # Runtime leftovers (exec roots, sockets, state records); keep the lock we hold.
  find "$SANDBOX_RUN" -mindepth 1 -maxdepth 1 ! -name lock -exec rm -rf {} +
  rm -f "$ENV_FILE" "$REPO_ENV_FILE" "$SANDBOX_HOME/credentials" "$SANDBOX_HOME"/htpasswd-*
  log "down"
}

cmd_status() {
  local n pid up=0 total=0
  for n in "${DAEMONS[@]}"; do
    total=$((total + 1))
    if pid="$(our_pid "$n")"; then
      up=$((up + 1))
      printf '%-15s running (pid %s)\n' "$n" "$pid"
    else
      printf '%-15s stopped\n' "$n"
    fi
  done
  if [[ -f /proc/sys/fs/binfmt_misc/qemu-aarch64 ]]; then
    printf '%-15s %s\n' "qemu-aarch64" "$(head -n1 /proc/sys/fs/binfmt_misc/qemu-aarch64)"
  else
    printf '%-15s not registered\n' "qemu-aarch64"
  fi
  if [[ -f "$ENV_FILE" ]]; then
    printf '%-15s %s (copy: %s)\n' "env file" "$ENV_FILE" "$REPO_ENV_FILE"
    printf '%-15s %s\n' "DOCKER_HOST" "unix://$DOCKER_SOCK"
    printf '%-15s %s (classic image store)\n' "" "unix://$CLASSIC_DOCKER_SOCK"
    printf '%-15s localhost:%s (http), localhost:%s (https)\n' "registries" "$PLAIN_PORT" "$TLS_PORT"
  fi
  [[ "$up" -eq "$total" ]]
}

cmd_clean() {
  cmd_down
  log "removing $SANDBOX_HOME, $SANDBOX_CACHE, $SANDBOX_RUN and $REPO_ROOT/.sandbox"
  unmount_leftovers
  rm -rf "$SANDBOX_HOME" "$SANDBOX_CACHE" "$REPO_ROOT/.sandbox"
  rm -rf "$SANDBOX_RUN"
}

main() {
  local cmd="${1:-}"
  shift || true
  case "$cmd" in
    up) cmd_up ;;
    down) cmd_down ;;
    status)
      cmd_status || exit 3
      ;;
    clean) cmd_clean ;;
    *)
      printf 'usage: %s up|down|status|clean\n' "$0" >&2
      exit 2
      ;;
  esac
}

main "$@"
