extension Duration {
    /// The duration in seconds, for timings reported as numbers.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
