"""Plotly's JavaScript for the training view: the cartesian partial bundle when it is here.

The training view (``logit/ui/view_frontend/``) draws scatter traces, one heatmap (for its colour
bar), layout images and shapes: all of them are in plotly.js's *cartesian* partial bundle,
a third of the full ``plotly.min.js`` that the plotly Python package ships (1.5 MB instead of
4.8 MB; 0.5 MB instead of 1.5 MB gzip-compressed). That bundle is another project's code, so
it is not kept in the repository: :func:`fetch` takes it from the npm registry at set-up time
(``scripts/venv.sh`` runs ``python -m logit.ui.plotly_bundle``), checks the tarball against
the sha512 ``dist.integrity`` the registry's metadata gives, and writes only the minified
bundle and its LICENSE to ``logit/ui/view_frontend/vendor/`` (git-ignored).

:func:`script_path` is what the view serves: the vendored bundle when it is there *and* is
the plotly.js version that the installed plotly package was built with (the figures' JSON
comes from that package), else the package's own full ``plotly.min.js``. So a machine that
never ran the set-up (Streamlit Community Cloud runs no scripts), one without network, and
an upgrade of plotly without a new fetch all still work, only heavier.

Which registry: ``LOGIT_NPM_REGISTRY``, else npm's own setting (``NPM_CONFIG_REGISTRY`` or
``npm_config_registry`` in the environment, else ``npm config get registry`` when npm is
installed, else a ``registry=`` line in the user's ``.npmrc``). Node itself is never needed:
the download is plain HTTPS from Python.

    python -m logit.ui.plotly_bundle            fetch if needed, say what was done
    python -m logit.ui.plotly_bundle --quiet    say something only when fetching or failing
    python -m logit.ui.plotly_bundle --force    fetch again even if the right version is here

A registry that cannot be reached is a one-line warning and exit status 0: the app works
with the full bundle. A download that fails its integrity check is refused (exit status 1).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import plotly

PACKAGE = "plotly.js-cartesian-dist-min"
VENDOR = Path(__file__).resolve().parent / "view_frontend" / "vendor"
BUNDLE = VENDOR / "plotly-cartesian.min.js"
LICENSE = VENDOR / "LICENSE"
TIMEOUT = 60.0  # seconds for each request to the registry
MAX_TARBALL = 64 * 2**20  # bytes; the 4.1.1 tarball is 0.5 MB
# "plotly.js v4.1.1" (the full bundle) or "plotly.js (cartesian - minified) v4.1.1".
HEADER = re.compile(rb"plotly\.js(?: \([^)\n]*\))? v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)")
HEADER_BYTES = 512


class FetchError(Exception):
    """The bundle could not be fetched: no registry known, no network, no such version."""


class IntegrityError(Exception):
    """The registry's tarball is not what its metadata promises, or not the package expected."""


def full_bundle() -> Path:
    """The complete ``plotly.min.js`` that the installed plotly Python package ships."""
    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def header_version(source: Path | bytes) -> str | None:
    """The plotly.js version in a bundle's licence header (its first lines), or None."""
    if isinstance(source, Path):
        try:
            with open(source, "rb") as f:
                source = f.read(HEADER_BYTES)
        except OSError:
            return None
    match = HEADER.search(source[:HEADER_BYTES])
    return match.group(1).decode("ascii") if match else None


def plotlyjs_version() -> str:
    """The plotly.js version of the installed plotly Python package.

    plotly says so itself (``plotly.offline.get_plotlyjs_version``, written when its bundle
    is updated); the header of its ``plotly.min.js`` is the fallback.
    """
    try:
        from plotly.offline import get_plotlyjs_version

        version = get_plotlyjs_version()
        if isinstance(version, str) and version:
            return version
    except Exception:  # an older or trimmed plotly: read the file
        pass
    version = header_version(full_bundle())
    if version is None:
        raise RuntimeError(f"cannot tell the plotly.js version of {full_bundle()}")
    return version


def vendored_version() -> str | None:
    """The plotly.js version of the vendored cartesian bundle, or None if there is none."""
    return header_version(BUNDLE) if BUNDLE.is_file() else None


def script_path() -> Path:
    """The plotly.js file the training view serves: the vendored cartesian bundle if it is
    there and of the installed plotly.js version, else the plotly package's full bundle."""
    if vendored_version() == plotlyjs_version():
        return BUNDLE
    return full_bundle()


# --- the registry -------------------------------------------------------------------------------

def _npmrc_registry(path: Path) -> str | None:
    """The ``registry=`` setting of an .npmrc file (not a scoped ``@scope:registry``)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key.strip() == "registry":
            return value.strip().strip("\"'") or None
    return None


def registry_url() -> str | None:
    """The npm registry to fetch from, as npm would choose it; None when nothing names one."""
    for name in ("LOGIT_NPM_REGISTRY", "NPM_CONFIG_REGISTRY", "npm_config_registry"):
        if os.environ.get(name, "").strip():
            return os.environ[name].strip()
    npm = shutil.which("npm")
    if npm:
        try:
            result = subprocess.run([npm, "config", "get", "registry"], capture_output=True, text=True,
                                    timeout=30, stdin=subprocess.DEVNULL)
            value = result.stdout.strip()
            if result.returncode == 0 and value.startswith(("http://", "https://")):
                return value
        except (OSError, subprocess.SubprocessError):
            pass
    user_config = os.environ.get("NPM_CONFIG_USERCONFIG") or os.environ.get("npm_config_userconfig")
    return _npmrc_registry(Path(user_config) if user_config else Path.home() / ".npmrc")


def _get(url: str, *, accept: str | None = None, limit: int = MAX_TARBALL, timeout: float = TIMEOUT) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise FetchError(f"not an http(s) address: {url!r}")
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(limit + 1)
    except urllib.error.HTTPError as error:
        raise FetchError(f"{url} answered {error.code} {error.reason}") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", None) or error
        raise FetchError(f"cannot reach {urllib.parse.urlsplit(url).netloc}: {reason}") from error
    if len(data) > limit:
        raise FetchError(f"{url} sent more than {limit} bytes")
    return data


def version_metadata(registry: str, version: str, *, timeout: float = TIMEOUT) -> dict:
    """The registry's metadata of PACKAGE at ``version`` (its ``dist`` holds tarball and integrity)."""
    base = registry.rstrip("/") + "/" + urllib.parse.quote(PACKAGE, safe="@")
    try:
        meta = json.loads(_get(f"{base}/{version}", accept="application/json", timeout=timeout))
    except FetchError as first:
        # Some registries serve only the whole document of a package, not one version's.
        try:
            whole = json.loads(_get(base, accept="application/vnd.npm.install-v1+json", timeout=timeout))
        except FetchError:
            raise first from None
        meta = (whole.get("versions") or {}).get(version)
        if meta is None:
            raise FetchError(f"the registry has no {PACKAGE} {version}") from None
    if meta.get("name") != PACKAGE or meta.get("version") != version:
        raise FetchError(f"the registry answered with {meta.get('name')} {meta.get('version')}, "
                         f"not {PACKAGE} {version}")
    return meta


# --- checking and unpacking -----------------------------------------------------------------

def verify(data: bytes, integrity: str) -> None:
    """Raise IntegrityError unless ``data`` matches a sha512 entry of an npm ``dist.integrity``
    string (Subresource Integrity: ``sha512-<base64>``, several separated by spaces).
    Weaker hashes alone are not accepted."""
    expected = []
    for entry in (integrity or "").split():
        algorithm, _, digest = entry.partition("-")
        if algorithm == "sha512":
            try:
                expected.append(base64.b64decode(digest.split("?")[0], validate=True))
            except ValueError:
                continue
    if not expected:
        raise IntegrityError(f"the metadata gives no sha512 integrity for the tarball (got {integrity!r})")
    actual = hashlib.sha512(data).digest()
    if not any(hmac.compare_digest(actual, digest) for digest in expected):
        raise IntegrityError("the tarball's sha512 does not match the registry's integrity: refused")


def unpack(data: bytes) -> tuple[bytes, bytes]:
    """The minified bundle and the LICENSE from the package's tarball (nothing else is read)."""
    bundles: dict[str, bytes] = {}
    license_text: bytes | None = None
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive.getmembers():
                parts = member.name.split("/")
                # npm packs the files under one folder ("package/"); the names are only read:
                # what is written goes to fixed paths.
                if not member.isfile() or len(parts) != 2 or parts[0] in ("", ".", ".."):
                    continue
                if parts[1].endswith(".min.js"):
                    bundles[parts[1]] = archive.extractfile(member).read()
                elif parts[1] == "LICENSE":
                    license_text = archive.extractfile(member).read()
    except (tarfile.TarError, OSError, EOFError) as error:
        raise IntegrityError(f"the tarball cannot be read: {error}") from error
    if len(bundles) != 1:
        raise IntegrityError(f"expected one .min.js at the top of the package, found {sorted(bundles) or 'none'}")
    if license_text is None:
        raise IntegrityError("the package has no LICENSE")
    return next(iter(bundles.values())), license_text


def _write(path: Path, content: bytes) -> None:
    """Write atomically: another process sees the old file or the new one, never half of one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- fetching -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fetched:
    version: str
    path: Path
    fetched: bool  # False: the right version was here already
    tarball_bytes: int = 0


def fetch(*, force: bool = False, registry: str | None = None, timeout: float = TIMEOUT) -> Fetched:
    """Put the cartesian bundle of the installed plotly.js version into the vendor folder.

    Does nothing when that version is there already (unless ``force``). Raises FetchError
    when it cannot be had (no registry known, no network, no such version) and
    IntegrityError when the download is not what the registry's metadata promises.
    """
    version = plotlyjs_version()
    if not force and vendored_version() == version:
        return Fetched(version, BUNDLE, fetched=False)
    registry = registry or registry_url()
    if not registry:
        raise FetchError("no npm registry known: npm is not installed and neither LOGIT_NPM_REGISTRY "
                         "nor NPM_CONFIG_REGISTRY is set")
    meta = version_metadata(registry, version, timeout=timeout)
    dist = meta.get("dist") or {}
    if not dist.get("tarball"):
        raise FetchError(f"the registry's metadata of {PACKAGE} {version} names no tarball")
    data = _get(dist["tarball"], timeout=timeout)
    verify(data, dist.get("integrity", ""))
    bundle, license_text = unpack(data)
    found = header_version(bundle)
    if found != version:
        raise IntegrityError(f"the bundle in {PACKAGE} {version} says it is plotly.js {found}")
    VENDOR.mkdir(parents=True, exist_ok=True)
    _write(LICENSE, license_text)
    _write(BUNDLE, bundle)
    return Fetched(version, BUNDLE, fetched=True, tarball_bytes=len(data))


def _megabytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m logit.ui.plotly_bundle",
                                     description="Fetch plotly.js's cartesian bundle for the training view.")
    parser.add_argument("--force", action="store_true", help="fetch even if the right version is here")
    parser.add_argument("--quiet", action="store_true", help="print only when fetching or failing")
    args = parser.parse_args(argv)
    full = full_bundle()
    fallback = f"the training view serves the full plotly.js ({_megabytes(full.stat().st_size)}) instead"
    try:
        done = fetch(force=args.force)
    except FetchError as error:
        print(f"logit: warning: could not fetch Plotly's cartesian bundle ({error}); {fallback}", file=sys.stderr)
        return 0
    except IntegrityError as error:
        print(f"logit: error: refused Plotly's cartesian bundle: {error}; {fallback}", file=sys.stderr)
        return 1
    size = _megabytes(done.path.stat().st_size)
    if done.fetched:
        print(f"logit: fetched {PACKAGE} {done.version} ({_megabytes(done.tarball_bytes)} tarball, sha512 "
              f"checked) into {done.path.parent}: the training view serves {done.path.name} ({size})")
    elif not args.quiet:
        print(f"logit: {PACKAGE} {done.version} is already in {done.path.parent} ({size}); nothing fetched")
    return 0


if __name__ == "__main__":
    sys.exit(main())
