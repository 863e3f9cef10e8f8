import NIOCore
import PostgresNIO

/// Turns postgres-nio's errors into the store's: a server's refusal keeps the server's own
/// message (which never holds the password), a lost or refused connection becomes
/// `StoreError.unreachable`. postgres-nio's own descriptions are deliberately opaque.
enum PostgresErrors {
    static func translate(_ error: any Error, url: DatabaseURL) -> any Error {
        if error is StoreError || error is MissingRecord || error is ReviewRefusal || error is IngestError || error is EngineError
            || error is MigrationError
        {
            return error
        }
        if error is PostgresConnectionLost {
            return StoreError.unreachable(url.description, "the connection was lost while a statement waited for its answer")
        }
        if let psql = error as? PSQLError {
            switch psql.code {
            case .server:
                let message = psql.serverInfo?[.message] ?? "an error"
                let state = psql.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                // 08: connection exceptions; 57P01, 57P03: the server shuts down or starts up;
                // 25P03, 57P05: the server ended a session that sat idle (a process stopped
                // mid-transaction): the transaction rolled back, and a new connection works.
                if let state = psql.serverInfo?[.sqlState],
                    state.hasPrefix("08") || ["57P01", "57P03", "25P03", "57P05"].contains(state)
                {
                    return StoreError.unreachable(url.description, message)
                }
                // 28: invalid authorization; 3D000: no such database.
                if let state = psql.serverInfo?[.sqlState], state.hasPrefix("28") || state == "3D000" {
                    return StoreError.refused(url.description, message)
                }
                return StoreError.database(message + state)
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
                return StoreError.unreachable(url.description, reason(psql.underlying) ?? "the connection was lost")
            case .sslUnsupported:
                return StoreError.unreachable(url.description, "the server does not offer TLS (sslmode=require)")
            case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
                return StoreError.unreachable(url.description, "the server asks for a password or method this URL does not give")
            default:
                return StoreError.database("PostgreSQL: \(psql.code)")
            }
        }
        if let channel = error as? ChannelError {
            return StoreError.unreachable(url.description, "\(channel)")
        }
        if let io = error as? IOError {
            return StoreError.unreachable(url.description, io.description)
        }
        if error is NIOConnectionError || String(describing: type(of: error)).contains("Connect") {
            return StoreError.unreachable(url.description, "the connection was refused or timed out")
        }
        return StoreError.database(String(describing: error))
    }

    /// The SQLSTATE of a server error (23505: unique violation), if it is one.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    private static func reason(_ error: (any Error)?) -> String? {
        guard let error else { return nil }
        if let io = error as? IOError { return io.description }
        if error is NIOConnectionError { return "the connection was refused" }
        return "\(error)"
    }
}
