/// The benchmarks' percentile: the value at the nearest rank of an ascending list (0 when empty).
public enum Percentile {
    public static func of(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }
}
