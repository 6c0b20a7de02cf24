# Shared by start.sh and test.sh: install what the repository needs and is missing.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

ensure_tools() {
  command -v dotnet >/dev/null || { echo "The .NET SDK (dotnet) is required: https://dot.net" >&2; exit 1; }
  command -v node >/dev/null && command -v npm >/dev/null || { echo "Node.js 20+ and npm are required (for Azurite)." >&2; exit 1; }
}

# Azurite, pinned in package.json/package-lock.json.
ensure_azurite() {
  if [[ ! -f node_modules/azurite/dist/src/azurite.js ]]; then
    echo "Installing Azurite from package-lock.json ..."
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser of its own).
ensure_chromium() {
  [[ -x /usr/bin/chromium ]] && return
  local sudo=""
  [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null && sudo="sudo"
  if command -v apt-get >/dev/null && { [[ $(id -u) -eq 0 ]] || [[ -n "$sudo" ]]; }; then
    echo "Installing Debian's chromium for the browser tests ..."
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Chromium at /usr/bin/chromium (Debian: apt-get install -y chromium)." >&2
    exit 1
  fi
}

build() {
  local configuration="$1"; shift
  dotnet build MultilateralFlows.sln -c "$configuration" -warnaserror -warnnotaserror:NU1603 -nologo -clp:ErrorsOnly "$@"
}

# True when the host on the port answers its health route with 200 (bash alone: no curl needed).
healthy() {
  local status
  { exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /api/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 && read -r _ status _ <&3; } 2>/dev/null
  exec 3>&- 3<&- 2>/dev/null
  [[ "${status:-}" == 200 ]]
}
