"""logit/ui/plotly_bundle.py: which plotly.js the training view serves, and the fetch of the
cartesian bundle (fake registry and tarballs: no network here).

The browser checks (a cold open's bytes, the four charts drawn alike by both bundles) are in
tests/e2e/test_cold_open.py; nginx's compression in tests/e2e/test_deploy.py.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import tarfile
from pathlib import Path

import numpy as np
import plotly
import pytest

from logit.ui import plotly_bundle as pb

INSTALLED = pb.plotlyjs_version()


def header(version: str, flavour: str = " (cartesian - minified)") -> bytes:
    return (f"/**\n* plotly.js{flavour} v{version}\n* Copyright 2012-2026, Plotly, Inc.\n"
            f"* All rights reserved.\n* Licensed under the MIT license\n*/\n").encode()


def fake_bundle(version: str = INSTALLED) -> bytes:
    return header(version) + b'var Plotly={moduleType:"trace",name:"scatter"};\n'


def tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def package(version: str = INSTALLED, bundle: bytes | None = None) -> bytes:
    return tarball({
        "package/LICENSE": b"The MIT License (MIT)\n",
        "package/plotly-cartesian.min.js": fake_bundle(version) if bundle is None else bundle,
        "package/package.json": json.dumps({"name": pb.PACKAGE, "version": version}).encode(),
        "package/README.md": b"# not extracted\n",
    })


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


class FakeRegistry:
    """Answers pb._get for one package version; records what was asked."""

    BASE = "https://registry.invalid/npm"

    def __init__(self, data: bytes, *, version: str = INSTALLED, promised: str | None = None,
                 down: bool = False) -> None:
        self.data = data
        self.version = version
        self.promised = integrity(data) if promised is None else promised
        self.down = down
        self.asked: list[str] = []

    def get(self, url: str, **_: object) -> bytes:
        self.asked.append(url)
        if self.down:
            raise pb.FetchError("cannot reach registry.invalid: [Errno -2] Name or service not known")
        if url == f"{self.BASE}/{pb.PACKAGE}/{self.version}":
            return json.dumps({"name": pb.PACKAGE, "version": self.version, "dist": {
                "tarball": f"{self.BASE}/{pb.PACKAGE}/-/{pb.PACKAGE}-{self.version}.tgz",
                "integrity": self.promised, "shasum": hashlib.sha1(self.data).hexdigest()}}).encode()
        if url.endswith(".tgz"):
            return self.data
        raise pb.FetchError(f"{url} answered 404 Not Found")


@pytest.fixture()
def vendor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The vendor folder moved to a temporary one (the real one is left alone)."""
    folder = tmp_path / "vendor"
    monkeypatch.setattr(pb, "VENDOR", folder)
    monkeypatch.setattr(pb, "BUNDLE", folder / "plotly-cartesian.min.js")
    monkeypatch.setattr(pb, "LICENSE", folder / "LICENSE")
    return folder


def serve(monkeypatch: pytest.MonkeyPatch, registry: FakeRegistry) -> FakeRegistry:
    monkeypatch.setattr(pb, "_get", registry.get)
    monkeypatch.setenv("LOGIT_NPM_REGISTRY", FakeRegistry.BASE)
    return registry


# --- versions and the choice of file ------------------------------------------------------------

def test_the_installed_plotlyjs_version_is_the_one_in_plotlys_bundle_header() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", INSTALLED)
    assert pb.header_version(pb.full_bundle()) == INSTALLED
    assert pb.full_bundle() == Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def test_header_version_reads_the_full_and_the_partial_bundles_headers(tmp_path: Path) -> None:
    assert pb.header_version(header("4.1.1", "")) == "4.1.1"
    assert pb.header_version(header("4.1.1")) == "4.1.1"
    assert pb.header_version(header("5.0.0-rc.1")) == "5.0.0-rc.1"
    assert pb.header_version(b"/* some other library v1.2.3 */") is None
    assert pb.header_version(tmp_path / "missing.js") is None
    late = tmp_path / "late.js"
    late.write_bytes(b" " * pb.HEADER_BYTES + header("4.1.1"))  # not in the header: not a version
    assert pb.header_version(late) is None


def test_the_version_falls_back_to_the_header_when_plotly_does_not_say(monkeypatch: pytest.MonkeyPatch) -> None:
    import plotly.offline

    def broken():
        raise AttributeError("no version here")

    monkeypatch.setattr(plotly.offline, "get_plotlyjs_version", broken)
    assert pb.plotlyjs_version() == pb.header_version(pb.full_bundle())


def test_without_a_vendored_bundle_the_view_serves_plotlys_full_bundle(vendor: Path) -> None:
    assert not vendor.exists()
    assert pb.vendored_version() is None
    assert pb.script_path() == pb.full_bundle()


def test_a_vendored_bundle_of_another_version_is_not_served(vendor: Path) -> None:
    vendor.mkdir()
    pb.BUNDLE.write_bytes(fake_bundle("0.0.1"))
    assert pb.script_path() == pb.full_bundle()
    pb.BUNDLE.write_bytes(b"not a plotly.js bundle at all")
    assert pb.script_path() == pb.full_bundle()
    pb.BUNDLE.write_bytes(fake_bundle(INSTALLED))
    assert pb.script_path() == pb.BUNDLE


def test_after_an_upgrade_of_plotly_the_old_vendored_bundle_is_not_served(vendor: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    vendor.mkdir()
    pb.BUNDLE.write_bytes(fake_bundle(INSTALLED))
    monkeypatch.setattr(pb, "plotlyjs_version", lambda: "99.0.0")
    assert pb.script_path() == pb.full_bundle()


# --- fetching -----------------------------------------------------------------------------------

def test_fetch_verifies_and_writes_only_the_bundle_and_its_licence(vendor: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    registry = serve(monkeypatch, FakeRegistry(package()))
    done = pb.fetch()
    assert done.fetched and done.version == INSTALLED and done.path == pb.BUNDLE
    assert sorted(p.name for p in vendor.iterdir()) == ["LICENSE", "plotly-cartesian.min.js"]
    assert pb.BUNDLE.read_bytes() == fake_bundle()
    assert pb.LICENSE.read_bytes().startswith(b"The MIT License")
    assert pb.script_path() == pb.BUNDLE
    assert registry.asked[0] == f"{FakeRegistry.BASE}/{pb.PACKAGE}/{INSTALLED}"

    # Again: the right version is there, the registry is not asked.
    registry.asked.clear()
    again = pb.fetch()
    assert not again.fetched and registry.asked == []
    # --force asks again.
    assert pb.fetch(force=True).fetched and registry.asked


def test_fetch_replaces_a_bundle_of_another_version(vendor: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vendor.mkdir()
    pb.BUNDLE.write_bytes(fake_bundle("0.0.1"))
    serve(monkeypatch, FakeRegistry(package()))
    assert pb.fetch().fetched
    assert pb.vendored_version() == INSTALLED


def test_a_tampered_tarball_is_refused_and_nothing_is_written(vendor: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    genuine = package()
    tampered = package(bundle=fake_bundle() + b"stealCookies();\n")
    serve(monkeypatch, FakeRegistry(tampered, promised=integrity(genuine)))
    with pytest.raises(pb.IntegrityError, match="does not match"):
        pb.fetch()
    assert not pb.BUNDLE.exists() and not pb.LICENSE.exists()
    assert pb.script_path() == pb.full_bundle()


def test_a_flipped_byte_is_refused() -> None:
    data = package()
    pb.verify(data, integrity(data))
    pb.verify(data, "sha1-AAAA " + integrity(data))  # several hashes: the sha512 one counts
    flipped = bytearray(data)
    flipped[len(flipped) // 2] ^= 1
    with pytest.raises(pb.IntegrityError):
        pb.verify(bytes(flipped), integrity(data))


def test_metadata_without_a_sha512_is_refused(vendor: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = package()
    sha1 = "sha1-" + base64.b64encode(hashlib.sha1(data).digest()).decode()
    serve(monkeypatch, FakeRegistry(data, promised=sha1))
    with pytest.raises(pb.IntegrityError, match="no sha512"):
        pb.fetch()
    serve(monkeypatch, FakeRegistry(data, promised=""))
    with pytest.raises(pb.IntegrityError, match="no sha512"):
        pb.fetch()
    assert not pb.BUNDLE.exists()


def test_a_package_whose_bundle_is_another_version_is_refused(vendor: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serve(monkeypatch, FakeRegistry(package(bundle=fake_bundle("0.0.1"))))
    with pytest.raises(pb.IntegrityError, match="says it is plotly.js 0.0.1"):
        pb.fetch()
    assert not pb.BUNDLE.exists()


def test_a_package_without_its_licence_or_with_two_bundles_is_refused() -> None:
    with pytest.raises(pb.IntegrityError, match="LICENSE"):
        pb.unpack(tarball({"package/plotly-cartesian.min.js": fake_bundle()}))
    with pytest.raises(pb.IntegrityError, match="one .min.js"):
        pb.unpack(tarball({"package/LICENSE": b"MIT", "package/a.min.js": b"", "package/b.min.js": b""}))
    with pytest.raises(pb.IntegrityError, match="cannot be read"):
        pb.unpack(b"not a tarball")
    # Only the top of the package counts; nothing else is read.
    bundle, licence = pb.unpack(tarball({"package/LICENSE": b"MIT", "package/x.min.js": b"js",
                                         "package/src/other.min.js": b"no", "../escape.min.js": b"no"}))
    assert (bundle, licence) == (b"js", b"MIT")


def test_the_version_asked_for_is_the_installed_plotlyjs(vendor: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pb, "plotlyjs_version", lambda: "4.0.0")
    registry = serve(monkeypatch, FakeRegistry(package("4.0.0"), version="4.0.0"))
    assert pb.fetch().version == "4.0.0"
    assert registry.asked[0].endswith(f"/{pb.PACKAGE}/4.0.0")


def test_a_registry_with_only_whole_package_documents_is_read_too(vendor: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    registry = FakeRegistry(package())

    def whole_only(url: str, **kwargs: object) -> bytes:
        if url == f"{FakeRegistry.BASE}/{pb.PACKAGE}":
            version = json.loads(registry.get(f"{url}/{INSTALLED}"))
            return json.dumps({"name": pb.PACKAGE, "versions": {INSTALLED: version}}).encode()
        if url.endswith(f"/{INSTALLED}"):
            raise pb.FetchError(f"{url} answered 405 Method Not Allowed")
        return registry.get(url)

    monkeypatch.setattr(pb, "_get", whole_only)
    assert pb.fetch(registry=FakeRegistry.BASE).fetched


# --- the command line ---------------------------------------------------------------------------

def test_no_network_is_a_one_line_warning_and_exit_status_0(vendor: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture) -> None:
    serve(monkeypatch, FakeRegistry(package(), down=True))
    assert pb.main([]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert "warning" in err and "full plotly.js" in err
    assert pb.script_path() == pb.full_bundle()


def test_no_registry_known_is_a_warning_too(vendor: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                            capsys: pytest.CaptureFixture) -> None:
    for name in ("LOGIT_NPM_REGISTRY", "NPM_CONFIG_REGISTRY", "npm_config_registry"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NPM_CONFIG_USERCONFIG", str(tmp_path / "no-npmrc"))
    monkeypatch.setattr(pb.shutil, "which", lambda name: None)
    assert pb.registry_url() is None
    assert pb.main([]) == 0
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "no npm registry known" in err


def test_the_registry_comes_from_the_environment_or_npmrc(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("LOGIT_NPM_REGISTRY", "NPM_CONFIG_REGISTRY", "npm_config_registry"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(pb.shutil, "which", lambda name: None)
    npmrc = tmp_path / "npmrc"
    npmrc.write_text("@scope:registry=https://scoped.invalid/\nregistry = https://mirror.invalid/npm/\n")
    monkeypatch.setenv("NPM_CONFIG_USERCONFIG", str(npmrc))
    assert pb.registry_url() == "https://mirror.invalid/npm/"
    monkeypatch.setenv("npm_config_registry", "https://env.invalid/")
    assert pb.registry_url() == "https://env.invalid/"
    monkeypatch.setenv("LOGIT_NPM_REGISTRY", "https://logit.invalid/")
    assert pb.registry_url() == "https://logit.invalid/"


def test_a_tampered_download_is_an_error_on_the_command_line(vendor: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture) -> None:
    serve(monkeypatch, FakeRegistry(package(bundle=b"evil"), promised=integrity(package())))
    assert pb.main([]) == 1
    err = capsys.readouterr().err
    assert "refused" in err and len(err.strip().splitlines()) == 1
    assert not pb.BUNDLE.exists()


def test_the_command_line_says_what_it_did(vendor: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture) -> None:
    serve(monkeypatch, FakeRegistry(package()))
    assert pb.main([]) == 0
    assert "fetched" in capsys.readouterr().out
    assert pb.main([]) == 0
    assert "already" in capsys.readouterr().out
    assert pb.main(["--quiet"]) == 0
    assert capsys.readouterr() == ("", "")


# --- the real bundle ------------------------------------------------------------------------------

TRACE = re.compile(rb'moduleType:"trace",name:"(\w+)"')
COMPONENT = re.compile(rb'moduleType:"component",name:"(\w+)"')


def view_trace_types() -> set[str]:
    """Every trace type of the training view's four figures, built as the page builds them."""
    from logit.geometry import padded_box
    from logit.training import TrainingSettings, train
    from logit.ui import figures
    from logit.ui.training_view import CLICK_GRID

    rng = np.random.default_rng(0)
    y = np.arange(200) % 2
    X = rng.normal(size=(200, 2)) + np.where(y[:, None] == 1, 1.0, -1.0)
    trajectory = train(X, y, TrainingSettings(learning_rate=0.1, max_iterations=20))
    text = figures.DataChartText(x1_title="x1", x2_title="x2", class_names=("0 (y=0)", "1 (y=1)"),
                                 misclassified="wrong", boundary="line", probability="ŷ", selected="here")
    built = [
        figures.data_figure(X, y, trajectory.params_original[0], padded_box(X), text, selected=3,
                            heatmap_resolution=2, clickable_grid=CLICK_GRID, webgl=False),
        figures.history_figure(trajectory.params, ("w1", "w2", "b"), 0, title="w", y_title="v", x_title="k"),
        figures.history_figure(trajectory.gradients, ("g1", "g2", "gb"), 0, title="g", y_title="v", x_title="k",
                               zero_line=True),
        figures.loss_accuracy_figure(trajectory.loss, trajectory.accuracy, 0, title="J", loss_name="J",
                                     accuracy_name="acc", x_title="k"),
    ]
    return {trace.type for figure in built for trace in figure.data}


def test_the_view_uses_scatter_and_heatmap_only() -> None:
    assert view_trace_types() == {"scatter", "heatmap"}


@pytest.mark.skipif(pb.vendored_version() != INSTALLED,
                    reason="the cartesian bundle is not vendored (python -m logit.ui.plotly_bundle)")
def test_the_vendored_bundle_defines_every_trace_type_and_component_the_view_uses() -> None:
    text = pb.BUNDLE.read_bytes()
    traces = {m.decode() for m in TRACE.findall(text)}
    components = {m.decode() for m in COMPONENT.findall(text)}
    # The pattern finds the modules: the full bundle has the 3-D and map traces the partial one lacks.
    full_traces = {m.decode() for m in TRACE.findall(pb.full_bundle().read_bytes())}
    assert {"scatter3d", "scattergl", "scattermap"} <= full_traces
    assert not {"scatter3d", "scattergl", "scattermap"} & traces
    assert view_trace_types() <= traces, f"missing from the cartesian bundle: {view_trace_types() - traces}"
    # Layout images (the probability), shapes (the line, the covers), the legend and the colour bar.
    assert {"images", "shapes", "legend", "colorbar"} <= components
    assert len(text) < len(pb.full_bundle().read_bytes()) / 2
