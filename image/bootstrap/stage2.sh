#!/bin/sh
# Second stage of the Debian bootstrap. It runs as PID 1 of a container made
# from the first-stage image, without network: the files of the required
# packages are already unpacked, but dpkg knows of none of them yet and no
# maintainer script has run. It installs every package for real, in an order
# that lets each maintainer script find the tools it needs.
set -eu
# One stream keeps dpkg's errors next to the lines they belong to.
exec 2>&1

export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

staging=@STAGING@
core="@CORE@"
required="@REQUIRED@"
base="@BASE@"

debs() {
	for name in "$@"; do
		printf '%s/debs/%s.deb\n' "$staging" "$name"
	done
}

say() {
	printf '=== %s\n' "$*"
}

# install_core installs one package while the system is still incomplete:
# dependencies cannot be satisfied yet, so dpkg may only warn about them.
install_core() {
	dpkg --force-depends --install $(debs "$1") </dev/null
}

say "Installing core packages: $core"
# Scripts of the first core packages call awk, which mawk only registers as
# an alternative once it is configured itself.
ln -sf mawk /usr/bin/awk
for name in $core; do
	case $name in
	libc6)
		[ -e /etc/localtime ] || ln -sf /usr/share/zoneinfo/UTC /etc/localtime
		;;
	mawk)
		rm -f /usr/bin/awk
		;;
	esac
	install_core "$name"
done

say "Unpacking required packages"
dpkg --force-depends --unpack $(debs $required) </dev/null

# No service may start while the system is being built: a policy-rc.d that
# denies everything and a start-stop-daemon that does nothing.
say "Configuring required packages"
mv /usr/sbin/start-stop-daemon /usr/sbin/start-stop-daemon.REAL
printf '#!/bin/sh\necho "start-stop-daemon: not starting anything during the bootstrap" >&2\n' \
	>/usr/sbin/start-stop-daemon
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
chmod 755 /usr/sbin/start-stop-daemon /usr/sbin/policy-rc.d
dpkg --configure --pending --force-configure-any --force-depends </dev/null

if [ -n "$base" ]; then
	say "Installing the rest: $base"
	dpkg --force-overwrite --force-confold --skip-same-version --unpack $(debs $base) </dev/null
	dpkg --force-confold --skip-same-version --configure -a </dev/null
fi

mv /usr/sbin/start-stop-daemon.REAL /usr/sbin/start-stop-daemon
rm -f /usr/sbin/policy-rc.d

say "Checking the package database"
problems=$(dpkg --audit)
if [ -n "$problems" ]; then
	printf '%s\n' "$problems"
	exit 1
fi
say "Done"
