#!/bin/sh
# A small stand-in for abuild(1), enough to build apkgen's APKBUILD where there
# is no abuild and no Alpine. Run it as abuild runs its parts, with busybox ash
# and -e:
#
#   busybox ash -e tests/package/abuild-standin.sh STARTDIR WORKDIR
#
# STARTDIR holds the APKBUILD (the repository root); everything is made under
# WORKDIR: src/ (srcdir; builddir is src/$pkgname-$pkgver), pkg/$name for the
# package and each subpackage, meta/$name with the metadata each split left.
#
# What it does, in abuild's order: unpack (a copy of the working tree stands in
# for the tarball in $source), prepare, build, check, package, the split
# functions of $subpackages, a postcheck, strip. What it does not do: fetch,
# verify checksums, fakeroot, dependency tracing, make .apk files.
#
# One deliberate difference: there is no musl AOT compiler package on this
# Debian machine, so the runtime identifier the APKBUILD maps from $CARCH
# (linux-musl-x64) is overridden with linux-x64 after sourcing it.
#
# The helper functions below behave as abuild's do for what the APKBUILD uses;
# they are written for this stand-in. This stand-in is stricter than abuild:
# every postcheck warning fails the run.

# shellcheck disable=SC3043 # local: busybox ash has it, and APKBUILDs use it
# shellcheck disable=SC2154 # pkgver, source, subpackages...: set by the APKBUILD

set -e

startdir=$(cd "$1" && pwd)
work=$2
[ -f "$startdir"/APKBUILD ] || { echo "usage: $0 STARTDIR WORKDIR" >&2; exit 2; }
mkdir -p "$work"
work=$(cd "$work" && pwd)

srcdir="$work"/src
pkgbasedir="$work"/pkg
metadir="$work"/meta
tmpdir="$work"/tmp
CARCH=x86_64
CBUILD=x86_64-alpine-linux-musl
CHOST=$CBUILD
CTARGET=$CHOST
export CARCH CBUILD CHOST CTARGET

_phase="setup"

# No build server may outlive the run: a lingering MSBuild node or compiler
# server keeps the caller's output pipe open after the run has ended.
MSBUILDDISABLENODEREUSE=1
DOTNET_CLI_USE_MSBUILD_SERVER=0
UseSharedCompilation=false
export MSBUILDDISABLENODEREUSE DOTNET_CLI_USE_MSBUILD_SERVER UseSharedCompilation
_warnings=0

msg() {
	printf '>>> %s: %s\n' "${subpkgname:-$pkgname}" "$1" >&2
}

msg2() {
	printf '\t%s\n' "$1" >&2
}

warning() {
	printf '>>> WARNING: %s: %s\n' "${subpkgname:-$pkgname}" "$1" >&2
}

error() {
	printf '>>> ERROR: %s: %s\n' "${subpkgname:-$pkgname}" "$1" >&2
}

die() {
	error "$1"
	exit 1
}

# True when $options (or "$subpkgname::$1") names the option $1.
options_has() {
	local o
	for o in $options; do
		[ "$o" = "$1" ] && return 0
		[ "$o" = "${subpkgname:-$pkgname}::$1" ] && return 0
	done
	return 1
}

# Moves each path (relative to $pkgdir) into $subpkgdir, keeping its place in
# the tree; removes directories left empty. Fails when a path is missing.
amove() {
	[ -n "$subpkgdir" ] || die "amove outside a split function"
	local path parent rc=0
	for path; do
		path=${path#/}
		path=${path%/}
		if ! [ -e "$pkgdir/$path" ] && ! [ -L "$pkgdir/$path" ]; then
			rc=1
			continue
		fi
		parent=.
		case "$path" in
		*/*) parent=${path%/*} ;;
		esac
		mkdir -p "$subpkgdir/$parent"
		mv "$pkgdir/$path" "$subpkgdir/$parent/"
		(cd "$pkgdir" && rmdir -p "$parent" 2>/dev/null) || :
	done
	return $rc
}

default_prepare() {
	mkdir -p "$tmpdir"
}

prepare() {
	default_prepare
}

# The predefined split functions the APKBUILD's subpackages use.
default_doc() {
	depends="$depends_doc"
	pkgdesc="$pkgdesc (documentation)"
	install_if="docs $pkgname=$pkgver-r$pkgrel"
	local d page
	for d in doc man info html licenses; do
		amove usr/share/"$d" || :
	done
	# man pages are shipped compressed
	if [ -d "$subpkgdir"/usr/share/man ]; then
		find "$subpkgdir"/usr/share/man -type f -name '*.[0-9]' |
			while read -r page; do
				gzip -n -9 "$page"
			done
	fi
}

doc() {
	default_doc
}

default_openrc() {
	depends="$depends_openrc"
	pkgdesc="$pkgdesc (OpenRC init scripts)"
	install_if="openrc ${subpkgname%-openrc}=$pkgver-r$pkgrel"
	amove etc/conf.d etc/init.d || :
}

openrc() {
	default_openrc
}

default_bashcomp() {
	depends=""
	pkgdesc="Bash completions for $pkgname"
	install_if="${subpkgname%-bash-completion}=$pkgver-r$pkgrel bash-completion"
	amove usr/share/bash-completion/completions
}

bashcomp() {
	default_bashcomp
}

default_zshcomp() {
	depends=""
	pkgdesc="Zsh completions for $pkgname"
	install_if="${subpkgname%-zsh-completion}=$pkgver-r$pkgrel zsh"
	amove usr/share/zsh/site-functions
}

zshcomp() {
	default_zshcomp
}

default_fishcomp() {
	depends=""
	pkgdesc="Fish completions for $pkgname"
	install_if="${subpkgname%-fish-completion}=$pkgver-r$pkgrel fish"
	amove usr/share/fish/vendor_completions.d
}

fishcomp() {
	default_fishcomp
}

# The split function of a subpackage entry "name[:function[:arch]]".
_split_function() {
	local name="${1%%:*}" func=
	case "$1" in
	*:*) func=${1#*:} func=${func%%:*} ;;
	esac
	if [ -z "$func" ]; then
		case "$name" in
		*-bash-completion) func=bashcomp ;;
		*-zsh-completion) func=zshcomp ;;
		*-fish-completion) func=fishcomp ;;
		*) func=${name##*-} ;;
		esac
	fi
	echo "$func"
}

_write_meta() {
	mkdir -p "$metadir"
	{
		echo "pkgdesc=$pkgdesc"
		# shellcheck disable=SC2086,SC2116 # one line, single spaces
		echo "depends=$(echo $depends)"
		echo "install_if=$install_if"
	} > "$metadir/$1"
}

# A part of abuild's postcheck: where files may go, and the modes of OpenRC files.
_postcheck() {
	local dir="$1" name="$2" d f
	if ! options_has '!fhs'; then
		for d in srv usr/local opt tmp var/tmp var/lock var/empty home sys proc mnt dev; do
			for f in "$dir/$d"/* "$dir/$d"/.[!.]*; do
				if [ -e "$f" ] || [ -L "$f" ]; then
					error "$name: packages must not put anything under /$d"
					_warnings=$((_warnings + 1))
					break
				fi
			done
		done
	fi
	for d in bin sbin lib lib64 usr/lib64; do
		if [ -e "$dir/$d" ] || [ -L "$dir/$d" ]; then
			warning "$name: nothing may go under /$d (merged /usr)"
			_warnings=$((_warnings + 1))
		fi
	done
	for f in "$dir"/etc/init.d/*; do
		if [ -f "$f" ] && ! [ -L "$f" ] && ! [ -x "$f" ]; then
			error "$name: ${f#"$dir"} must have the executable bit set"
			_warnings=$((_warnings + 1))
		fi
	done
	for f in "$dir"/etc/conf.d/*; do
		if [ -f "$f" ] && ! [ -L "$f" ] && [ -x "$f" ]; then
			warning "$name: ${f#"$dir"} should not have the executable bit set"
			_warnings=$((_warnings + 1))
		fi
	done
	if { [ -e "$dir"/etc/init.d ] || [ -e "$dir"/etc/conf.d ]; } &&
		[ "${name%-openrc}" = "$name" ]; then
		warning "$name: OpenRC files outside an -openrc package"
		_warnings=$((_warnings + 1))
	fi
}

# abuild strips ELF executables and libraries of arch-specific packages.
_strip() {
	local f magic
	options_has '!strip' && return 0
	find "$1" -type f | while read -r f; do
		magic=$(head -c 4 "$f" | od -An -c | tr -d ' ')
		if [ "$magic" = '177ELF' ]; then
			strip -o "$tmpdir"/stripped "$f"
			cat "$tmpdir"/stripped > "$f"
			rm "$tmpdir"/stripped
		fi
	done
}

_on_exit() {
	local rc=$?
	[ "$rc" -eq 0 ] || echo ">>> ERROR: abuild stand-in: $_phase failed ($rc)" >&2
}
trap _on_exit EXIT

cd "$startdir"
# shellcheck source=/dev/null # the APKBUILD is checked on its own
. "$startdir"/APKBUILD
builddir=${builddir:-"$srcdir/$pkgname-$pkgver"}
pkgdir="$pkgbasedir/$pkgname"

# The override described above: glibc AOT here, musl on Alpine.
_rid=linux-x64

_phase="unpack"
msg "Unpacking the working tree of $startdir (stands in for $source)"
rm -rf "$srcdir" "$pkgbasedir" "$metadir" "$tmpdir"
mkdir -p "$builddir" "$tmpdir"
git -C "$startdir" ls-files --cached --others --exclude-standard |
	while read -r f; do
		[ -f "$startdir/$f" ] || [ -L "$startdir/$f" ] || continue
		mkdir -p "$builddir/$(dirname "$f")"
		cp -P "$startdir/$f" "$builddir/$f"
	done

for _phase in prepare build check; do
	msg "Running $_phase()"
	(cd "$builddir"; "$_phase")
done

_phase="package"
msg "Running package()"
mkdir -p "$pkgdir"
(cd "$builddir"; package)
_write_meta "$pkgname"

for _sub in $subpackages; do
	subpkgname=${_sub%%:*}
	_phase="split $subpkgname"
	_func=$(_split_function "$_sub")
	msg "Running split function $_func()"
	(
		subpkgdir="$pkgbasedir/$subpkgname"
		# shellcheck disable=SC2034 # a split function may read it
		provides=""
		install_if=""
		mkdir -p "$subpkgdir"
		cd "$pkgdir"
		"$_func"
		_write_meta "$subpkgname"
	)
done
subpkgname=""

_phase="postcheck"
for _dir in "$pkgbasedir"/*; do
	_postcheck "$_dir" "${_dir##*/}"
done
[ "$_warnings" -eq 0 ] || die "postcheck: $_warnings problem(s)"

_phase="strip"
msg "Stripping binaries"
_strip "$pkgdir"

_phase="done"
msg "Done: $(cd "$pkgbasedir" && echo *)"
