/// `1 error`, `2 errors`, `1 person`, `12 people`: summary lines read as English.
func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(count) " + (count == 1 ? singular : plural ?? singular + "s")
}
