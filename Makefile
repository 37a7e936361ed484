# Build and install mi-psrp as a C library.
#
#   make                         cargo build --release (libmi_psrp.so, libmi_psrp.a, mi-psrp)
#   make install PREFIX=/usr     headers, libraries (versioned SONAME), pkg-config and CMake files
#   make uninstall PREFIX=/usr
#   make test                    set-up (system packages, .venv), then cargo test --all-features
#   make windows                 mi_psrp.dll, libmi_psrp.dll.a, libmi_psrp.a, mi-psrp.exe (mingw-w64,
#                                in target/windows/x86_64-pc-windows-gnu/release; docs/windows.md)
#   make windows-test            make windows, then its tests under Wine
#
# DESTDIR is honoured for staged installs. CARGO_TARGET_DIR and PROFILE
# (release, or dev for a debug build) choose which build is installed.
PREFIX           ?= /usr/local
LIBDIR           ?= $(PREFIX)/lib
INCLUDEDIR       ?= $(PREFIX)/include
BINDIR           ?= $(PREFIX)/bin
DESTDIR          ?=
CARGO            ?= cargo
CARGO_TARGET_DIR ?= target
PROFILE          ?= release

VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
MAJOR   := $(word 1,$(subst ., ,$(VERSION)))
MINOR   := $(word 2,$(subst ., ,$(VERSION)))
# 0.x: a minor release may break the ABI, so the SONAME carries it.
ABI     := $(if $(filter 0,$(MAJOR)),0.$(MINOR),$(MAJOR))
SONAME  := libmi_psrp.so.$(ABI)
REALNAME:= libmi_psrp.so.$(VERSION)
OUT     := $(CARGO_TARGET_DIR)/$(if $(filter dev,$(PROFILE)),debug,$(PROFILE))

SUBST = sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
            -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
            -e 's|@SONAME@|$(SONAME)|g' -e 's|@REALNAME@|$(REALNAME)|g' -e 's|@ABI@|$(ABI)|g'

.PHONY: all build install uninstall test windows windows-test
all: build

# The README's test command. scripts/test-setup.sh installs the missing system
# packages (apt-get, as root) or says what to install, makes .venv with the
# pinned Python packages and prints its interpreter, which the tests use.
test:
	MIPSRP_PYTHON="$$(scripts/test-setup.sh)" && export MIPSRP_PYTHON && \
	    $(CARGO) test --all-features

# The Windows build, cross-compiled with Debian's Rust and mingw-w64, and its
# tests under Wine (scripts/windows/; packages installed as for make test).
windows:
	scripts/windows/build.sh

windows-test: windows
	CARGO="$(CARGO)" scripts/windows/test.sh

build:
	$(CARGO) build --profile $(PROFILE) --target-dir $(CARGO_TARGET_DIR)

install: build
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(LIBDIR)/cmake/mi_psrp \
	           $(DESTDIR)$(INCLUDEDIR)/mi-psrp $(DESTDIR)$(BINDIR)
	install -m 755 $(OUT)/libmi_psrp.so $(DESTDIR)$(LIBDIR)/$(REALNAME)
	ln -sf $(REALNAME) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libmi_psrp.so
	install -m 644 $(OUT)/libmi_psrp.a $(DESTDIR)$(LIBDIR)/libmi_psrp.a
	install -m 644 include/mi.h include/MI.h include/mi_psrp.h $(DESTDIR)$(INCLUDEDIR)/mi-psrp/
	install -m 755 $(OUT)/mi-psrp $(DESTDIR)$(BINDIR)/mi-psrp
	$(SUBST) packaging/mi_psrp.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/mi_psrp.pc
	$(SUBST) packaging/mi_psrpConfig.cmake.in > $(DESTDIR)$(LIBDIR)/cmake/mi_psrp/mi_psrpConfig.cmake
	$(SUBST) packaging/mi_psrpConfigVersion.cmake.in > $(DESTDIR)$(LIBDIR)/cmake/mi_psrp/mi_psrpConfigVersion.cmake

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(REALNAME) $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libmi_psrp.so \
	      $(DESTDIR)$(LIBDIR)/libmi_psrp.a $(DESTDIR)$(LIBDIR)/pkgconfig/mi_psrp.pc \
	      $(DESTDIR)$(BINDIR)/mi-psrp
	rm -rf $(DESTDIR)$(INCLUDEDIR)/mi-psrp $(DESTDIR)$(LIBDIR)/cmake/mi_psrp
