#!/usr/bin/env bash
# Installs every Debian 12 package that bertlab's build, tests, screenshots, fixtures and .deb checks need.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev libgl-dev
  libqcustomplot-dev libqcustomplot2.1-qt6
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools  # lrelease in the build, lupdate for scripts/update_translations.sh
  qt6-translations-l10n  # Qt's own qtbase_es.qm etc., so standard dialogs follow the UI language
  libeigen3-dev libopenblas-dev libopenblas0-openmp
  libdnnl-dev ocl-icd-opencl-dev  # oneDNN's CMake config requires OpenCL (only recommended by the package)
  libutf8proc-dev nlohmann-json3-dev zlib1g-dev
  libcsv-dev  # RFC 4180 CSV for fine-tuning data
  libcli11-dev  # bertlab-cli's option parser
  libcurl4-openssl-dev libssl-dev  # Hugging Face Hub downloads and their SHA-256 checks
  fonts-dejavu-core fonts-wqy-microhei fontconfig xvfb xauth
  clang libclang-rt-14-dev libomp-dev
  lintian desktop-file-utils appstream libxml2-utils  # scripts/package.sh checks the .deb with these
  qemu-user python3  # the baseline_cpu test runs bertlab-cli on an emulated pre-AVX CPU
)
# Reference fixtures are committed; torch is only needed to regenerate them or run bench/.
if [ "${BERTLAB_WITH_TORCH:-0}" = "1" ]; then
  packages+=(python3-torch python3-numpy)
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
