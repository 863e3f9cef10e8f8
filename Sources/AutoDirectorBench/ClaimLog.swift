/// The claim statement's durations as PostgreSQL measured them: its log with
/// `log_min_duration_statement = 0` has a line per phase of each statement (parse, bind,
/// execute under the extended protocol), each with its backend's pid in the prefix. The
/// phases of one claim are summed.
enum ClaimLog {
    /// The statement a box claims items with (`PostgresStore.claimRenderRequests`).
    static let marker = "WITH picked AS ("

    /// Milliseconds per claim, in the order they ran.
    static func durations(_ log: String) -> [Double] {
        var pending: [Substring: Double] = [:]
        var claims: [Double] = []
        for line in log.split(separator: "\n") {
            guard line.contains(marker), let logged = line.range(of: "LOG:  duration: "),
                let pid = backend(of: line)
            else { continue }
            let rest = line[logged.upperBound...]
            guard let unit = rest.range(of: " ms  "), let milliseconds = Double(rest[..<unit.lowerBound]) else { continue }
            let phase = rest[unit.upperBound...].prefix { $0 != " " }
            switch phase {
            case "parse": pending[pid] = milliseconds
            case "bind": pending[pid, default: 0] += milliseconds
            case "execute", "statement:":
                claims.append(pending.removeValue(forKey: pid, default: 0) + milliseconds)
            default: continue
            }
        }
        return claims
    }

    /// The pid in the default prefix (`%m [%p] `).
    private static func backend(of line: Substring) -> Substring? {
        guard let open = line.firstIndex(of: "["), let close = line[open...].firstIndex(of: "]") else { return nil }
        return line[line.index(after: open)..<close]
    }
}

extension Dictionary {
    fileprivate mutating func removeValue(forKey key: Key, default value: Value) -> Value {
        removeValue(forKey: key) ?? value
    }
}
