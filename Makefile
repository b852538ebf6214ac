# Secure OTA for ESP32 / nanoFramework: one command each to build, test, benchmark and demo.
# Every target installs what it needs on a bare Debian machine of this project's kind (the .NET SDK
# itself comes with the machine; Debian has no package for it) and is safe to run again.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

DOTNET ?= dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

OUT := out
BIN := $(OUT)/bin
GATE := $(OUT)/nano-gate/nano-gate.dll
BOOT_BUILD := Bootloader/build
BOOT_ASAN := Bootloader/build-asan
BOOT_FUZZ := Bootloader/build-fuzz
# postgresql, nginx-light and chromium serve the update server's tests (a real PostgreSQL, nginx serving
# the artifact directory, the dashboard in a headless browser); curl drives the admin API in make demo.
# clang-14 and libclang-rt-14-dev build the libFuzzer targets (make fuzz; a short budget in make test).
APT_PACKAGES := cmake gcc g++ make openssl libmbedtls-dev curl postgresql nginx-light chromium clang-14 libclang-rt-14-dev softhsm2
INTEROP := tools/interop
DASHBOARD_TEST := Tests/Dashboard

.PHONY: help deps restore build build-host build-boot build-boot-asan build-fuzz gate check-nano test fuzz demo bench clean

help:
	@echo "make demo        end-to-end update of a simulated fleet of 20 boards through the update server"
	@echo "make test        build everything, run every suite, print 'N passed, M failed, K skipped'"
	@echo "make build       build everything; runnable commands land in $(BIN)/"
	@echo "make check-nano  nanoFramework 1.x compatibility gate over the device code"
	@echo "make bench       benchmarks, one table"
	@echo "make fuzz        every fuzz target for 10^6 executions (FUZZ_RUNS=N to change), one table"

deps:
	@command -v $(DOTNET) >/dev/null || { echo "error: the .NET 10 SDK (dotnet) is not installed; it comes with this project's machine image (Debian has no package for it)" >&2; exit 1; }
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi
	@command -v node >/dev/null || { echo "error: Node.js 20 (node, npm) is needed for the interop check; it comes with this project's machine image" >&2; exit 1; }
	@for dir in $(INTEROP) $(DASHBOARD_TEST); do \
	  if [ ! -d $$dir/node_modules ] || [ $$dir/package-lock.json -nt $$dir/node_modules ]; then \
	    (cd $$dir && npm ci --no-audit --no-fund --loglevel=error) && touch $$dir/node_modules; fi; done

restore: deps
	$(DOTNET) restore Agent.sln -v q

build-host: restore
	$(DOTNET) build Agent.sln -c Host --no-restore -v q -nologo
	$(DOTNET) publish tools/NanoGate/NanoGate.csproj -c Release -o $(OUT)/nano-gate -v q -nologo

build-boot: deps
	cmake -S Bootloader -B $(BOOT_BUILD) -DCMAKE_BUILD_TYPE=Release -DUPDATE_TOOL=$(abspath $(BIN))/update-tool >/dev/null
	cmake --build $(BOOT_BUILD) -j 2

# The whole boot-stage CTest suite once more with AddressSanitizer and UndefinedBehaviorSanitizer.
build-boot-asan: deps build-boot
	cmake -S Bootloader -B $(BOOT_ASAN) -DCMAKE_BUILD_TYPE=Debug -DBS_SANITIZE=ON -DUPDATE_TOOL=$(abspath $(BIN))/update-tool >/dev/null
	cmake --build $(BOOT_ASAN) -j 2

# The libFuzzer targets (clang).
build-fuzz: deps
	cmake -S Bootloader -B $(BOOT_FUZZ) -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBS_FUZZ=ON -DUPDATE_TOOL=$(abspath $(BIN))/update-tool >/dev/null
	cmake --build $(BOOT_FUZZ) -j 2 --target fuzz_suit fuzz_state

build: build-host build-boot
	@mkdir -p $(BIN)
	cp $(BOOT_BUILD)/bootsim $(BIN)/bootsim
	cp $(BOOT_BUILD)/libbootsim.so $(BIN)/libbootsim.so
	$(DOTNET) publish tools/UpdateTool/SecureOta.UpdateTool.csproj -c Release -o $(OUT)/update-tool -v q -nologo
	$(DOTNET) publish tools/ChipEmu/SecureOta.ChipEmu.csproj -c Release -o $(OUT)/chip-emu -v q -nologo
	$(DOTNET) publish tools/UpdateServer/SecureOta.UpdateServer.csproj -c Release -o $(OUT)/update-server -v q -nologo
	$(DOTNET) publish tools/DeviceSimulator/SecureOta.DeviceSimulator.csproj -c Release -o $(OUT)/device-sim -v q -nologo
	$(DOTNET) publish tools/DiffFuzz/SecureOta.DiffFuzz.csproj -c Release -o $(OUT)/diff-fuzz -v q -nologo
	$(DOTNET) publish tools/FactoryStation/SecureOta.FactoryStation.csproj -c Release -o $(OUT)/factory-station -v q -nologo
	@for tool in nano-gate update-tool chip-emu update-server device-sim diff-fuzz factory-station; do \
	  printf '#!/usr/bin/env bash\nexec dotnet "$$(dirname "$$0")/../%s/%s.dll" "$$@"\n' $$tool $$tool > $(BIN)/$$tool; \
	  chmod +x $(BIN)/$$tool; done
	@ctest --test-dir $(BOOT_BUILD) -R '^fixtures$$' >/dev/null || { echo "error: the boot stage's test fixtures could not be made (ctest -R fixtures in $(BOOT_BUILD))" >&2; exit 1; }
	@echo "built; commands in $(BIN)/: $$(ls $(BIN) | tr '\n' ' ')"

gate: restore
	$(DOTNET) publish tools/NanoGate/NanoGate.csproj -c Release -o $(OUT)/nano-gate -v q -nologo

check-nano: gate
	$(DOTNET) $(GATE) --root .

test: build build-boot-asan build-fuzz
	tools/scripts/run-tests.sh

fuzz: build build-fuzz
	tools/scripts/fuzz.sh

demo: build
	tools/scripts/demo.sh

bench: build
	@dpkg -s gcc-riscv64-unknown-elf >/dev/null 2>&1 || { if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq gcc-riscv64-unknown-elf >/dev/null; }
	@ctest --test-dir $(BOOT_BUILD) -R fixtures >/dev/null
	@$(DOTNET) run --project tools/Bench/SecureOta.Bench.csproj -c Release -v q
	@$(BOOT_BUILD)/bench_boot $(BOOT_BUILD)/fixtures
	@Bootloader/tools/size.sh

clean:
	rm -rf $(OUT) $(BOOT_BUILD) $(BOOT_ASAN) $(BOOT_FUZZ)
	$(DOTNET) clean Agent.sln -c Host -v q -nologo >/dev/null || true
