# Helpers for test scripts running inside the VM (source it).
# vm.sh exports PAXOS_TOP (the checkout), PAXOS_KERNEL (test|stock|stock61) and
# PAXOS_BUILD (the build tree for the running kernel).

PAXOS_KO=$PAXOS_BUILD/kmod/paxos.ko
PAXOS_KUNIT_KO=$PAXOS_BUILD/kunit/paxos_kunit.ko

fail() { echo "FAIL: $*" >&2; exit 1; }

# Load the module with what it depends on (Debian's kernel has the UDP
# tunnel helpers and the ChaCha20-Poly1305 library as modules).
paxos_load()
{
	if [ "$PAXOS_KERNEL" != test ]; then
		modprobe -a udp_tunnel ip6_udp_tunnel libchacha20poly1305 \
			2>/dev/null || true
	fi
	insmod "$PAXOS_KO" "$@" || fail "insmod $PAXOS_KO"
}

paxos_unload()
{
	rmmod paxos || fail "rmmod paxos"
}
