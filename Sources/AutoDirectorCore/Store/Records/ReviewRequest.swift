/// One requested review change, before it is checked and stored.
struct ReviewRequest {
    var shotID: String
    var version: Int?
}
