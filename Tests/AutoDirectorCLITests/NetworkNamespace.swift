import Foundation

/// A network namespace joined to this machine by a veth pair (`ip netns` + veth), for a render
/// box that the test cuts off the network and brings back: the link's host end is taken down
/// and up. Root only; `destroy()` removes both.
struct NetworkNamespace {
    let name: String
    /// This machine's end of the link, and its address (the box reaches the database and the
    /// fake Bria API there).
    let hostLink: String
    let hostAddress: String

    static let ip = "/usr/sbin/ip"

    static func create() throws -> NetworkNamespace {
        let tag = String(getpid() % 100_000)
        let subnet = "10.213.\(getpid() % 250)"
        let namespace = NetworkNamespace(name: "adfarm\(tag)", hostLink: "adh\(tag)", hostAddress: "\(subnet).1")
        let inner = "adn\(tag)"
        namespace.destroy()
        do {
            try run(["netns", "add", namespace.name])
            try run(["link", "add", namespace.hostLink, "type", "veth", "peer", "name", inner])
            try run(["link", "set", inner, "netns", namespace.name])
            try run(["addr", "add", "\(namespace.hostAddress)/30", "dev", namespace.hostLink])
            try run(["link", "set", namespace.hostLink, "up"])
            try run(["netns", "exec", namespace.name, ip, "addr", "add", "\(subnet).2/30", "dev", inner])
            try run(["netns", "exec", namespace.name, ip, "link", "set", inner, "up"])
            try run(["netns", "exec", namespace.name, ip, "link", "set", "lo", "up"])
        } catch {
            namespace.destroy()
            throw error
        }
        return namespace
    }

    /// The arguments that run `command` inside the namespace.
    func wrap(_ command: [String]) -> (executable: URL, arguments: [String]) {
        (URL(fileURLWithPath: Self.ip), ["netns", "exec", name] + command)
    }

    /// Takes the link down: packets to and from the namespace are dropped, and its open
    /// connections hang as over a cut cable.
    func cut() throws { try Self.run(["link", "set", hostLink, "down"]) }

    func restore() throws { try Self.run(["link", "set", hostLink, "up"]) }

    func destroy() {
        _ = try? Self.run(["link", "del", hostLink])
        _ = try? Self.run(["netns", "del", name])
    }

    private static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ip)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NetworkNamespaceError(description: "ip \(arguments.joined(separator: " ")): \(String(decoding: message, as: UTF8.self))")
        }
    }
}

struct NetworkNamespaceError: Error, CustomStringConvertible {
    var description: String
}
