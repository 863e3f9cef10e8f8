import Foundation

/// Where a shared project's database is (SPEC §16): `AUTODIRECTOR_DATABASE_URL` or `--database`,
/// `postgres://user[:password]@host[:port]/db[?sslmode=disable|prefer|require]`. The password is
/// kept apart and never printed: `description` (and so every message that names the database)
/// leaves it out.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    public enum SSLMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it (libpq's default), plain otherwise.
        case prefer
        /// TLS or nothing. As with libpq's `require`, the server's certificate is not verified.
        case require
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode
    /// Whether change watchers LISTEN for the other processes' notifications (`listen=on`, the
    /// default) or only poll (`listen=off`: for a connection pooler in transaction mode, such as
    /// PgBouncer's, where LISTEN does not work).
    public var listens: Bool = true

    /// The environment variable that names a shared project's database.
    public static let environmentKey = "AUTODIRECTOR_DATABASE_URL"

    public init(user: String, password: String?, host: String, port: Int = 5432, database: String, sslMode: SSLMode = .prefer) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
    }

    /// Parses a URL; every error message is about its shape and never repeats the password.
    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let schemeEnd = trimmed.range(of: "://") else { throw DatabaseURLError("it does not start with postgres://") }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw DatabaseURLError("the scheme \(TextSanitizer.quoted(String(scheme.prefix(32)))) is not postgres://")
        }
        var rest = trimmed[schemeEnd.upperBound...]
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        // The user information ends at the last @ (a password may hold one, percent-encoded or not).
        guard let at = rest.lastIndex(of: "@") else { throw DatabaseURLError("it names no user (postgres://USER@HOST/DB)") }
        let userInfo = rest[..<at]
        let location = rest[rest.index(after: at)...]
        let userPart: Substring
        if let colon = userInfo.firstIndex(of: ":") {
            userPart = userInfo[..<colon]
            guard let decoded = String(userInfo[userInfo.index(after: colon)...]).removingPercentEncoding else {
                throw DatabaseURLError("its password is not valid percent-encoding")
            }
            password = decoded
        } else {
            userPart = userInfo
            password = nil
        }
        guard let decodedUser = String(userPart).removingPercentEncoding, !decodedUser.isEmpty else {
            throw DatabaseURLError("it names no user (postgres://USER@HOST/DB)")
        }
        user = decodedUser
        guard let slash = location.firstIndex(of: "/") else { throw DatabaseURLError("it names no database (postgres://USER@HOST/DB)") }
        let hostPort = location[..<slash]
        guard let decodedDatabase = String(location[location.index(after: slash)...]).removingPercentEncoding, !decodedDatabase.isEmpty,
            !decodedDatabase.contains("/")
        else { throw DatabaseURLError("it names no database (postgres://USER@HOST/DB)") }
        database = decodedDatabase
        if hostPort.hasPrefix("[") {
            // An IPv6 literal: [::1]:5432.
            guard let close = hostPort.firstIndex(of: "]") else { throw DatabaseURLError("its IPv6 host has no closing ]") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            port = try Self.port(after.hasPrefix(":") ? after.dropFirst() : nil)
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            port = try Self.port(hostPort[hostPort.index(after: colon)...])
        } else {
            host = String(hostPort)
            port = 5432
        }
        guard !host.isEmpty else { throw DatabaseURLError("it names no host (postgres://USER@HOST/DB)") }
        sslMode = .prefer
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1)
            let key = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            if key == "listen" {
                guard value == "on" || value == "off" else {
                    throw DatabaseURLError("listen \(TextSanitizer.quoted(String(value.prefix(32)))) is not on or off")
                }
                listens = value == "on"
                continue
            }
            guard key == "sslmode" else {
                throw DatabaseURLError("the option \(TextSanitizer.quoted(String(key.prefix(32)))) is not known (sslmode, listen)")
            }
            guard let mode = SSLMode(rawValue: value) else {
                throw DatabaseURLError(
                    "sslmode \(TextSanitizer.quoted(String(value.prefix(32)))) is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            sslMode = mode
        }
    }

    private static func port(_ text: Substring?) throws -> Int {
        guard let text else { return 5432 }
        guard let port = Int(text), (1...65535).contains(port) else {
            throw DatabaseURLError("its port \(TextSanitizer.quoted(String(text.prefix(16)))) is not a number from 1 to 65535")
        }
        return port
    }

    /// The URL without its password: what messages, logs and `health` show.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let userPart = user.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? user
        let databasePart = database.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? database
        let options = (sslMode == .prefer ? [] : ["sslmode=\(sslMode.rawValue)"]) + (listens ? [] : ["listen=off"])
        return "postgres://\(userPart)\(password == nil ? "" : ":***")@\(shownHost):\(port)/\(databasePart)"
            + (options.isEmpty ? "" : "?" + options.joined(separator: "&"))
    }

    /// `--database URL`, else `$AUTODIRECTOR_DATABASE_URL`, else nil (the project's SQLite file).
    public static func chosen(flag: String?, environment: [String: String]) throws -> DatabaseURL? {
        guard let text = flag ?? environment[environmentKey], !text.isEmpty else { return nil }
        return try DatabaseURL(text)
    }
}

/// A database URL that could not be read. The message never contains the URL itself, which may
/// carry a password.
public struct DatabaseURLError: Error, Sendable, CustomStringConvertible, Equatable {
    public var reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String {
        "The database URL cannot be used: \(reason). Expected postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=disable|prefer|require][&listen=off]."
    }
}
