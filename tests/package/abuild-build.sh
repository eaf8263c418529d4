#!/bin/sh
# Builds apkgen's APKBUILD with the real abuild (scripts/abuild-real) as an aports builder
# would, from a release tarball of the working tree, and makes a second pkgrel of it without
# building again (for the self-upgrade test):
#
#   sh tests/package/abuild-build.sh CHECKOUT WORK
#
# WORK/aports/apkgen/      the startdir: APKBUILD, install scripts, apkgen-$pkgver.tar.gz
#                          (made as the APKBUILD says: git archive, here of the working tree)
# WORK/repo-r0/aports/x86_64/   `abuild -F -d -K -P WORK/repo-r0`: validate (sanitycheck),
#                          fetch, unpack, prepare, build, check, rootpkg (package, the split
#                          functions, postcheck, the scanelf tracing, create_apks signed with
#                          the kit's key), the signed APKINDEX
# WORK/repo-r1/aports/x86_64/   the same APKBUILD with pkgrel+1: `abuild rootpkg index` over
#                          the kept build (package and splits again, no second dotnet publish)
# WORK/repo-r0 also holds apkgen-test-deps (tests/package/deps), built first
# WORK/abuild-deps.log, WORK/abuild-r0.log, WORK/abuild-r1.log   abuild's output
#
# The one deviation: APKGEN_PUBLISH_TARGET (see the APKBUILD) builds a static linux-x64 apkgen,
# since the musl AOT packages of .NET are not served here.
set -eu
checkout=$(cd "$1" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)
abuild="$checkout/scripts/abuild-real"
startdir=$work/aports/apkgen

rm -rf "$work/aports" "$work/repo-r0" "$work/repo-r1"
mkdir -p "$startdir"
cp "$checkout/APKBUILD" "$checkout"/apkgen.post-* "$startdir/"
pkgver=$(sed -n 's/^pkgver=//p' "$startdir/APKBUILD")
pkgrel=$(sed -n 's/^pkgrel=//p' "$startdir/APKBUILD")

# The release tarball: the files git knows or would add, under apkgen-$pkgver/.
list=$(mktemp)
git -C "$checkout" ls-files -z --cached --others --exclude-standard >"$list"
(cd "$checkout" && tar --null --files-from="$list" --verbatim-files-from --ignore-failed-read \
	--transform="s|^|apkgen-$pkgver/|" --owner=0 --group=0 --numeric-owner --mtime=@0 \
	--format=posix --pax-option=delete=atime,delete=ctime -cf - 2>/dev/null) | gzip -n -9 >"$startdir/apkgen-$pkgver.tar.gz"
rm -f "$list"

export APKGEN_PUBLISH_TARGET="--runtime linux-x64 -p:StaticExecutable=true -p:PositionIndependentExecutable=false"
# No build server may outlive abuild: a lingering MSBuild node keeps the caller's pipe open.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false
# The stand-in of apkgen's runtime dependencies for the install tests (tests/package/deps).
mkdir -p "$work/aports/apkgen-test-deps"
cp "$checkout/tests/package/deps/APKBUILD" "$work/aports/apkgen-test-deps/"
(cd "$work/aports/apkgen-test-deps" && "$abuild" -F -d -P "$work/repo-r0") >"$work/abuild-deps.log" 2>&1 ||
	{ tail -n 40 "$work/abuild-deps.log" >&2; exit 1; }

cd "$startdir"
"$abuild" -F checksum >"$work/abuild-checksum.log" 2>&1
"$abuild" -F -d -K -P "$work/repo-r0" >"$work/abuild-r0.log" 2>&1 || { tail -n 40 "$work/abuild-r0.log" >&2; exit 1; }

sed -i "s/^pkgrel=$pkgrel\$/pkgrel=$((pkgrel + 1))/" APKBUILD
# rootpkg clears the main package's pkgdir only; abuild's `all` would clean them all first.
rm -rf pkg
"$abuild" -F -d -K -P "$work/repo-r1" rootpkg index >"$work/abuild-r1.log" 2>&1 || { tail -n 40 "$work/abuild-r1.log" >&2; exit 1; }
