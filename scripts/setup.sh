# kmodemu set-up, sourced by ./kmodemu and ./run-tests. Finds a JDK >= 22, installs the Debian
# packages kmodemu needs (when root, or through sudo), and provides Unicorn 2.1: the system's
# on Debian 13 and later, else Debian 13's libunicorn2t64 unpacked into kmodemu's cache with a
# private apt configuration (the system's apt sources and dpkg state are not touched).
# Functions only; nothing runs at source time.

KMODEMU_CACHE=${KMODEMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kmodemu}
export KMODEMU_CACHE

kmodemu_die() { echo "kmodemu: $*" >&2; exit 1; }

# java_major DIR: the feature version of the JDK in DIR, or nothing.
kmodemu_java_major() {
  local j=$1/bin/java v
  [[ -x $j && -x $1/bin/javac ]] || return 0
  v=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  [[ $v =~ ^[0-9]+$ ]] && echo "$v"
}

# Sets JAVA_HOME to a JDK 22 or newer: $JAVA_HOME if it is one, else the newest in /usr/lib/jvm.
kmodemu_find_java() {
  local best="" bestv=0 d v
  if [[ -n ${JAVA_HOME:-} ]]; then
    v=$(kmodemu_java_major "$JAVA_HOME")
    if [[ -n $v && $v -ge 22 ]]; then export JAVA_HOME; return 0; fi
  fi
  for d in /usr/lib/jvm/*; do
    [[ -d $d ]] || continue
    v=$(kmodemu_java_major "$d")
    if [[ -n $v && $v -ge 22 && $v -gt $bestv ]]; then best=$d; bestv=$v; fi
  done
  [[ -n $best ]] || kmodemu_die "needs a JDK 22 or newer (java.lang.foreign); none in \$JAVA_HOME or /usr/lib/jvm.
Install one (for example Temurin 25 from https://adoptium.net, or openjdk-25-jdk on Debian 13) and set JAVA_HOME."
  export JAVA_HOME=$best
}

kmodemu_apt_updated=
# kmodemu_need_packages PKG...: installs the Debian packages that are missing.
kmodemu_need_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || kmodemu_die "missing Debian packages: ${missing[*]} (run: apt-get install ${missing[*]})"
    sudo=(sudo)
  fi
  echo "kmodemu: installing ${missing[*]}" >&2
  if [[ -z $kmodemu_apt_updated ]]; then
    "${sudo[@]}" apt-get update -qq >&2 || kmodemu_die "apt-get update failed"
    kmodemu_apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || kmodemu_die "could not install ${missing[*]}"
}

# Sets KMODEMU_UNICORN to a Unicorn 2.1 libunicorn.so.2.
kmodemu_find_unicorn() {
  local lib=$KMODEMU_CACHE/unicorn/libunicorn.so.2
  if [[ -n ${KMODEMU_UNICORN:-} && -r $KMODEMU_UNICORN ]]; then return 0; fi
  if dpkg-query -W -f='${Status}' libunicorn2t64 2>/dev/null | grep -q 'install ok installed'; then
    KMODEMU_UNICORN=/usr/lib/x86_64-linux-gnu/libunicorn.so.2; export KMODEMU_UNICORN; return 0
  fi
  if [[ -r $lib ]]; then KMODEMU_UNICORN=$lib; export KMODEMU_UNICORN; return 0; fi
  local ver; ver=$(. /etc/os-release 2>/dev/null; echo "${VERSION_ID:-0}")
  if [[ $ver =~ ^[0-9]+$ && $ver -ge 13 ]]; then
    kmodemu_need_packages libunicorn2t64
    KMODEMU_UNICORN=/usr/lib/x86_64-linux-gnu/libunicorn.so.2; export KMODEMU_UNICORN; return 0
  fi
  echo "kmodemu: fetching Unicorn 2.1 (Debian 13's libunicorn2t64) into $KMODEMU_CACHE/unicorn" >&2
  local apt=$KMODEMU_CACHE/apt-trixie
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/etc" "$apt/deb" "$KMODEMU_CACHE/unicorn"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
    > "$apt/etc/sources.list"
  : > "$apt/status"
  local o=(-o "Dir::Etc::SourceList=$apt/etc/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt/lists" -o "Dir::State::Status=$apt/status" -o "Dir::Cache=$apt/cache"
    -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null -o APT::Architecture=amd64
    -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  [[ -r /usr/share/keyrings/debian-archive-keyring.gpg ]] || kmodemu_need_packages debian-archive-keyring
  apt-get "${o[@]}" update -qq >&2 || kmodemu_die "could not read the Debian 13 package index"
  (cd "$apt/deb" && rm -f libunicorn2t64_*.deb && apt-get "${o[@]}" download libunicorn2t64 >&2) \
    || kmodemu_die "could not download libunicorn2t64"
  local tmp; tmp=$(mktemp -d)
  dpkg-deb -x "$apt"/deb/libunicorn2t64_*.deb "$tmp" || kmodemu_die "could not unpack libunicorn2t64"
  cp "$tmp/usr/lib/x86_64-linux-gnu/libunicorn.so.2" "$lib.tmp" && mv "$lib.tmp" "$lib"
  rm -rf "$tmp"
  KMODEMU_UNICORN=$lib; export KMODEMU_UNICORN
}

# Maven's own JVM options for this JDK (quiets JDK 24+ warnings about Maven's Guava).
kmodemu_maven_opts() {
  local v; v=$(kmodemu_java_major "$JAVA_HOME")
  if [[ -n $v && $v -ge 24 ]]; then export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"; fi
}

# Everything needed to run (runtime) or also to build and test (build).
kmodemu_setup() {
  local what=${1:-runtime}
  kmodemu_find_java
  local pkgs=(libcapstone4)
  [[ $what == build ]] && pkgs+=(gcc make linux-headers-amd64 linux-source-6.1 maven libc6-dev xz-utils)
  kmodemu_need_packages "${pkgs[@]}"
  kmodemu_find_unicorn
  kmodemu_maven_opts
}
