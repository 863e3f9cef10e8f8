import ArgumentParser
import AutoDirectorCore
import Foundation

/// Reads a JSON file strictly, or fails with file:line:column.
enum JSONFile {
    static func canonicalBytes(_ path: String) throws -> [UInt8] {
        var bytes = [UInt8](try FileInput.read(URL(fileURLWithPath: path)))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        do {
            return try CanonicalJSON.bytes(try JSONParser.parse(bytes))
        } catch let error as JSONParseError {
            throw CommandFailure(message: "\(path):\(error.line):\(error.column): \(error.message)")
        }
    }
}

struct CanonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "canon", abstract: "Print the RFC 8785 canonical form of a JSON file, byte for byte.")

    @Argument(help: "A JSON file.")
    var file: String

    func run() throws {
        Print.console.raw(String(decoding: try JSONFile.canonicalBytes(file), as: UTF8.self))
    }
}

struct HashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hash", abstract: "Print the SHA-256 (hex) of a JSON file's canonical form.")

    @Argument(help: "A JSON file.")
    var file: String

    func run() throws {
        Print.line(SHA256Hex.digest(try JSONFile.canonicalBytes(file)))
    }
}
