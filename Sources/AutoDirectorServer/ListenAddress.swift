import AutoDirectorCore
import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `serve` listens, decided by what `--host` resolves to rather than by how it is spelt:
/// `127.evil.example` can resolve to 0.0.0.0, and `0x7f000001` is loopback. The host is resolved
/// once; without `ADMIN_TOKEN` every address it resolves to must be loopback, and the service
/// binds the numeric address that was checked (a second lookup by the server could answer
/// differently). The bound socket is checked again once it listens (`requireLoopback`).
enum ListenAddress {
    /// The address to bind: the first `host` resolves to, as the system's resolver orders them.
    static func choose(host: String, port: Int, hasAdminToken: Bool, resolve: (String) throws -> [SocketAddress] = resolve) throws -> SocketAddress {
        let addresses: [SocketAddress]
        do { addresses = try resolve(host) } catch {
            throw ServerError("--host \(TextSanitizer.quoted(host, limit: 100)) cannot be resolved: \(TextSanitizer.visible(String(describing: error), limit: 200)).")
        }
        guard let first = addresses.first else { throw ServerError("--host \(TextSanitizer.quoted(host, limit: 100)) resolves to no address.") }
        if !hasAdminToken, let open = addresses.first(where: { !isLoopback($0) }) {
            throw ServerError(
                "Refusing to listen on \(TextSanitizer.quoted(host, limit: 100)) (it resolves to \(open.ipAddress ?? "a non-loopback address")) without ADMIN_TOKEN: anyone who can reach it could approve, reject and re-render. Set ADMIN_TOKEN, or keep the default --host 127.0.0.1."
            )
        }
        return try bindable(first, port: port)
    }

    /// The checked address as the socket address to bind, on `port`.
    private static func bindable(_ address: SocketAddress, port: Int) throws -> SocketAddress {
        guard let ip = address.ipAddress else { throw ServerError("--host must name an IPv4 or IPv6 address.") }
        return try SocketAddress(ipAddress: ip, port: port)
    }

    /// Refuses a listening socket that is not on loopback when no `ADMIN_TOKEN` guards it.
    static func requireLoopback(_ bound: SocketAddress?, hasAdminToken: Bool) throws {
        guard !hasAdminToken else { return }
        guard let bound, isLoopback(bound) else {
            throw ServerError(
                "Refusing to serve on \(bound?.ipAddress ?? "an unknown address") without ADMIN_TOKEN: the socket is not on loopback. Set ADMIN_TOKEN, or use --host 127.0.0.1."
            )
        }
    }

    /// 127.0.0.0/8, ::1, and IPv4-mapped 127.0.0.0/8 (::ffff:127.x.x.x).
    static func isLoopback(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4(let v4):
            return UInt32(bigEndian: v4.address.sin_addr.s_addr) >> 24 == 127
        case .v6(let v6):
            var raw = v6.address.sin6_addr
            let bytes = withUnsafeBytes(of: &raw) { Array($0) }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
            return bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
        case .unixDomainSocket:
            return true
        }
    }

    /// Every IPv4 and IPv6 address the system resolves `host` to (numeric forms included, as
    /// `inet_aton` reads them: `0`, `2130706433`, `0x7f000001`).
    static func resolve(_ host: String) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, nil, &hints, &list)
        guard code == 0 else { throw ServerError(String(cString: gai_strerror(code))) }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var next = list
        while let entry = next {
            if let raw = entry.pointee.ai_addr {
                switch entry.pointee.ai_family {
                case AF_INET:
                    addresses.append(SocketAddress(UnsafeRawPointer(raw).loadUnaligned(as: sockaddr_in.self), host: host))
                case AF_INET6:
                    addresses.append(SocketAddress(UnsafeRawPointer(raw).loadUnaligned(as: sockaddr_in6.self), host: host))
                default:
                    break
                }
            }
            next = entry.pointee.ai_next
        }
        return addresses
    }
}
