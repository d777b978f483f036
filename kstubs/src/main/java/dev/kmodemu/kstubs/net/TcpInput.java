package dev.kmodemu.kstubs.net;

import dev.kmodemu.kstubs.KernelContext;
import dev.kmodemu.kstubs.KernelSymbol;

/**
 * net/ipv4/tcp_input.c's {@code tcp_enter_cwr()}, which congestion controls call on a live TCP
 * connection. No sockets exist in kmodemu, so nothing can reach it; reaching it anyway is
 * reported as unsupported.
 */
public final class TcpInput {
    private TcpInput() {
    }

    /** void tcp_enter_cwr(struct sock *sk) */
    @KernelSymbol("tcp_enter_cwr")
    static void tcpEnterCwr(KernelContext k, long sk) {
        throw new UnsupportedOperationException("tcp_enter_cwr: kmodemu has no TCP connections");
    }
}
