/// How storing a patched version ended.
enum PatchedInsert {
    case inserted(number: Int, jobID: Int64)
    /// Another version became the latest while the patch was applied: nothing was stored.
    case baseMoved
}
