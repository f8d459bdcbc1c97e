fn main() {
    let repo = connector_catalog::scan::scan(std::path::Path::new(&std::env::args().nth(1).unwrap())).unwrap();
    for d in &repo.diagnostics { println!("{d}"); }
    println!("{} {} {:?}", repo.connectors.len(), repo.component_count(), repo.auth_types());
}
