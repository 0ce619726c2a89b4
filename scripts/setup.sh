# shellcheck shell=bash
# Installs what looplab's two commands need, skipping whatever is already here.
# Sourced by scripts/serve and scripts/test; each ensure_* function is idempotent and says what it
# installs while it does it. Versions are the ones that build and run on these machines
# (see the README's "Toolchain" section for why each pin exists).

WASM_BINDGEN_VERSION=0.2.130   # must equal the crate's `wasm-bindgen = "=..."` pin
TRUNK_VERSION=0.21.14          # 0.22 needs a newer rustc than this machine has
WASM_PACK_VERSION=0.15.1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[looplab]\033[0m %s\n' "$*" >&2; }

apt_updated=""
apt_install() {
    # apt_install PACKAGE... : install Debian packages that are missing.
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    if [ -z "$apt_updated" ]; then
        say "updating Debian's package lists"
        $sudo apt-get update -qq >/dev/null
        apt_updated=1
    fi
    say "installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

cargo_tool() {
    # cargo_tool BINARY CRATE VERSION [EXTRA_FLAGS...] : cargo install CRATE at VERSION unless
    # BINARY already reports that version.
    local bin=$1 crate=$2 version=$3
    shift 3
    if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -q "$version"; then
        return 0
    fi
    say "installing $crate $version with cargo (a few minutes, once)"
    cargo install -q "$crate" --version "$version" "$@"
}

ensure_wasm_target() {
    rustup target list --installed | grep -q '^wasm32-unknown-unknown$' && return 0
    say "adding the Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
}

# What building and serving the site needs.
ensure_site_tools() {
    ensure_wasm_target
    apt_install binaryen
    # With --locked this version fails to install (a pinned dependency left the registry).
    cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
    # Without --locked this version fails (a newer dependency breaks it).
    cargo_tool trunk trunk "$TRUNK_VERSION" --locked
    # The site's build minifies its JavaScript with esbuild (a trunk hook) and bundles the Python
    # lab's editor from npm packages (CodeMirror).
    ensure_node_modules
}

# What the tests need beyond the site tools.
ensure_test_tools() {
    ensure_site_tools
    apt_install chromium chromium-driver
    cargo_tool wasm-pack wasm-pack "$WASM_PACK_VERSION"
    ensure_python_venv
}

ensure_node_modules() {
    local stamp="$ROOT/node_modules/.looplab-lock"
    if [ -f "$stamp" ] && cmp -s "$stamp" "$ROOT/package-lock.json"; then
        return 0
    fi
    say "installing npm packages from package-lock.json"
    # Playwright must never download its own browser: it drives Debian's chromium.
    (cd "$ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    cp "$ROOT/package-lock.json" "$stamp"
}

VENV="$ROOT/target/venv"
# The CPython oracle: the machine's python3 (3.11) for most twins, and pyenv's 3.12 and 3.13 for
# the few twins that need behaviour only later versions have (they say so on their first line).
ensure_python_venv() {
    make_venv "$VENV" python3
    local version interpreter
    for version in 3.12 3.13; do
        interpreter=$(ls -d "$HOME"/.pyenv/versions/"$version".*/bin/python 2>/dev/null | sort -V | tail -n 1)
        if [ -z "$interpreter" ]; then
            say "CPython $version is missing (looked in ~/.pyenv/versions): twins that need it will fail"
            continue
        fi
        make_venv "$ROOT/target/venv-$version" "$interpreter"
    done
}

# make_venv DIR PYTHON : a venv at DIR made with PYTHON, holding tests/twins/requirements.txt.
make_venv() {
    local dir=$1 python=$2
    local stamp="$dir/.looplab-requirements"
    if [ -f "$stamp" ] && cmp -s "$stamp" "$ROOT/tests/twins/requirements.txt"; then
        return 0
    fi
    say "creating the Python venv ${dir#"$ROOT"/} for the CPython oracle ($("$python" --version 2>&1))"
    "$python" -m venv "$dir"
    "$dir/bin/pip" install -q --disable-pip-version-check -r "$ROOT/tests/twins/requirements.txt"
    cp "$ROOT/tests/twins/requirements.txt" "$stamp"
}
