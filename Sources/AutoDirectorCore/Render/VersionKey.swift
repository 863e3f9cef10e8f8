/// A (shot, version) pair.
struct VersionKey: Hashable {
    var shotID: String
    var version: Int
}
