#!/usr/bin/env bash
# Regenerates the expected files of KmodGoldenTest with the real kmod 30 tools of
# Debian 12 (/usr/sbin/depmod, /usr/sbin/modprobe) over the test modules built by
# testmods/build-all. Needs root (unshare -m, to give modprobe a fixed /proc/cmdline
# and a /sys/module made from sysmodule.txt). In the container this was made in,
# init_module() and delete_module() fail with ENOSYS; the test's host does the same.
# usage: regen.sh [TESTMODS_CLASSES]   (default: testmods/target/classes/testmods)
set -euo pipefail
G=$(cd "$(dirname "$0")" && pwd)
TM=${1:-$G/../../../../../../../../../testmods/target/classes/testmods}
KVER=6.1.0-56-amd64
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# build_tree TREEFILE BASE: the modules of TREEFILE below BASE/lib/modules/KVER
build_tree() {
  local m=$2/lib/modules/$KVER mod dest
  mkdir -p "$m"
  while read -r mod dest; do
    [[ -z $mod || $mod == \#* ]] && continue
    mkdir -p "$(dirname "$m/$dest")"
    cp "$TM/$mod/$mod.ko" "$m/$dest"
  done < "$1"
}

B=$work/base
build_tree "$G/tree.txt" "$B"
M=$B/lib/modules/$KVER
cp "$G"/static/modules.builtin "$G"/static/modules.builtin.modinfo "$M/"
# modules.order is kept as modules.order.in, so it is not taken for a kbuild product
cp "$G"/static/modules.order.in "$M/modules.order"
/usr/sbin/depmod -b "$B" $KVER 2> "$work/err" || true
for f in modules.dep modules.dep.bin modules.alias modules.alias.bin modules.softdep modules.symbols \
    modules.symbols.bin modules.builtin.bin modules.builtin.alias.bin modules.devname; do
  cp "$M/$f" "$G/expected/$f"
done
sed "s|$B|@BASE@|g" "$work/err" > "$G/expected/depmod.stderr"
/usr/sbin/depmod -e -F "$G/static/System.map" -b "$B" $KVER 2> "$work/err" || true
sed "s|$B|@BASE@|g" "$work/err" > "$G/expected/depmod-e.stderr"

C=$work/cycle
build_tree "$G/cycle-tree.txt" "$C"
set +e
/usr/sbin/depmod -b "$C" $KVER 2> "$work/err"
echo "exit $?" > "$G/cycle-expected/depmod.exit"
set -e
sed "s|$C|@BASE@|g" "$work/err" > "$G/cycle-expected/depmod.stderr"
ls "$C/lib/modules/$KVER" > "$G/cycle-expected/files.txt"

# modprobe: each case with a fixed kernel command line and /sys/module
cat > "$work/cases.sh" <<INNER
set -u
mount --bind "$G/kcmdline" /proc/cmdline
mount -t tmpfs none /sys/module
while read -r name state refcnt holders; do
  [[ -z \$name || \$name == \#* ]] && continue
  mkdir -p /sys/module/\$name/holders
  echo \$state > /sys/module/\$name/initstate
  echo \$refcnt > /sys/module/\$name/refcnt
  for h in \$holders; do ln -s ../../\$h /sys/module/\$name/holders/\$h; done
done < "$G/sysmodule.txt"
while IFS= read -r line; do
  [[ -z \$line || \$line == \#* ]] && continue
  echo "### \$line"
  eval "/usr/sbin/modprobe -C $G/modprobe.d -d $B -S $KVER \$line" > $work/out 2> $work/err
  rc=\$?
  cat $work/out
  echo "--- stderr"
  cat $work/err
  echo "--- exit \$rc"
done < "$G/modprobe-cases.txt"
INNER
unshare -m bash "$work/cases.sh" | sed "s|$B|@BASE@|g; s|$G/modprobe.d|@CONF@|g" > "$G/expected/modprobe.txt"
echo "regenerated $G/expected and $G/cycle-expected"
