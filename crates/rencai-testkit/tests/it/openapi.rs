//! The API contract is reviewed as a snapshot: any change to it shows up in the diff.

#[test]
fn openapi_document_matches_the_snapshot() {
    let doc: serde_json::Value = serde_json::from_str(&rencai_web::api::openapi_json()).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in ["/api/v1/taxonomies", "/api/v1/taxonomies/{kind}", "/api/v1/geo/district", "/api/v1/legal/{kind}"] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    insta::assert_json_snapshot!("openapi", doc);
}
