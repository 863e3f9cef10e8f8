import Foundation
import NIOCore
import NIOPosix
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// A shared project's connections notice a server that vanished without closing them: their
/// sockets probe the peer (keepalive) and give up on unacknowledged data (user timeout).
@Suite(.enabled(if: ThrowawayPostgres.isAvailable)) struct PostgresSocketTests {
    @Test func connectionsProbeTheServerAndGiveUpOnSilence() throws {
        let database = try ThrowawayPostgres.freshDatabase()
        let channel = try PostgresSocket.connect(
            host: database.host, port: database.port, timeout: .seconds(5), on: MultiThreadedEventLoopGroup.singleton.any()
        ).wait()
        defer { try? channel.close().wait() }
        func option(_ level: Int32, _ name: Int32) throws -> Int {
            try channel.getOption(.socket(SocketOptionLevel(level), SocketOptionName(name))).wait()
        }
        #expect(try option(SOL_SOCKET, SO_KEEPALIVE) == 1)
        #expect(try option(Int32(IPPROTO_TCP), TCP_KEEPIDLE) == PostgresSocket.keepaliveIdleSeconds)
        #expect(try option(Int32(IPPROTO_TCP), TCP_KEEPINTVL) == PostgresSocket.keepaliveIntervalSeconds)
        #expect(try option(Int32(IPPROTO_TCP), TCP_KEEPCNT) == PostgresSocket.keepaliveProbes)
        #expect(try option(Int32(IPPROTO_TCP), TCP_USER_TIMEOUT) == PostgresSocket.userTimeoutMilliseconds)
        #expect(PostgresSocket.isAddress("127.0.0.1") && PostgresSocket.isAddress("::1") && !PostgresSocket.isAddress("db.studio.lan"))
    }
}
