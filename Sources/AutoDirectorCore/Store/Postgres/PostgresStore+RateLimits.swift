import Foundation

extension PostgresStore: SharedRequestPacing {
    func reserveRequest(endpoint: String, perMinute: Double, burst: Int) throws -> Double {
        let interval = 60 / max(perMinute, 0.001)
        // The new theoretical arrival, less the database's time now: one upsert, so two boxes
        // reserving at once are ordered by the row lock, never given the same slot. It runs as
        // a statement of its own (one round trip), on an unlogged table (no fsync): it paces
        // every submit and status poll of the farm.
        let ahead = try session.withConnection { connection in
            try PostgresTransaction(connection: connection, logger: session.logger).one("""
                INSERT INTO rate_limits AS r (endpoint, theoretical_arrival)
                VALUES (\(endpoint), clock_timestamp() + \(interval) * interval '1 second')
                ON CONFLICT (endpoint) DO UPDATE
                    SET theoretical_arrival = GREATEST(r.theoretical_arrival, clock_timestamp()) + \(interval) * interval '1 second'
                RETURNING EXTRACT(EPOCH FROM r.theoretical_arrival - clock_timestamp())::float8
                """, as: Double.self)
        } ?? 0
        // As `TokenBucket.reserve`: the request may leave `burst` intervals before it arrives.
        return max(0, ahead - Double(max(1, burst)) * interval)
    }
}
