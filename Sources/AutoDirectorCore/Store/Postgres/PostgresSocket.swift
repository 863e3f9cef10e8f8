import Foundation
import NIOCore
import NIOPosix

/// The TCP connection under a PostgreSQL session, opened here rather than by postgres-nio so
/// that a server that vanishes without closing it (a machine powered off, a network cut: no FIN,
/// no RST) is noticed instead of waited on for ever. TCP keepalive probes an idle connection —
/// including one whose statement waits for its answer — and the kernel resets it when the peer
/// stops answering; a user timeout does the same for data the peer never acknowledges. A server
/// that is merely slow (a long statement, a lock wait) answers the probes, so these do not cut it
/// short; only a server that stops reading what is sent to it (a full receive window) for longer
/// than the user timeout, 25 s, has its connection reset.
enum PostgresSocket {
    /// Idle time before the first probe, the time between probes, and how many may go unanswered:
    /// a vanished server is noticed within about 10 + 3 × 5 = 25 seconds.
    static let keepaliveIdleSeconds: Int = 10
    static let keepaliveIntervalSeconds: Int = 5
    static let keepaliveProbes: Int = 3
    /// How long written data may stay unacknowledged.
    static let userTimeoutMilliseconds: Int = 25_000

    static func connect(host: String, port: Int, timeout: TimeAmount, on eventLoop: any EventLoop) -> EventLoopFuture<any Channel> {
        var bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.so_keepalive), value: 1)
        #if os(Linux)
        bootstrap = bootstrap
            .channelOption(.socket(SocketOptionLevel(IPPROTO_TCP), SocketOptionName(TCP_KEEPIDLE)), value: keepaliveIdleSeconds)
            .channelOption(.socket(SocketOptionLevel(IPPROTO_TCP), SocketOptionName(TCP_KEEPINTVL)), value: keepaliveIntervalSeconds)
            .channelOption(.socket(SocketOptionLevel(IPPROTO_TCP), SocketOptionName(TCP_KEEPCNT)), value: keepaliveProbes)
            .channelOption(.socket(SocketOptionLevel(IPPROTO_TCP), SocketOptionName(TCP_USER_TIMEOUT)), value: userTimeoutMilliseconds)
        #endif
        return bootstrap.connect(host: host, port: port)
    }

    /// Whether `host` is an IPv4 or IPv6 address rather than a name.
    static func isAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
