//! A light post as the search index holds it: what its public list shows, never its phone.

use rencai_search::LightDoc;
use rencai_store::market::light::LightRow;

/// The index document of a light post.
pub fn light_doc(p: &LightRow) -> LightDoc {
    LightDoc {
        id: p.id,
        public_id: p.public_id.clone(),
        station_id: p.station_id,
        kind: p.kind.clone(),
        title: p.title.clone(),
        body: p.body.clone(),
        district: p.district.clone(),
        category: p.category.clone(),
        posted_at: p.created_at.timestamp(),
        expires_at: p.expires_at.map(|t| t.timestamp()),
    }
}

/// Whether a post belongs in the index: published ones only (pending, rejected, closed and
/// expired posts show to nobody but their owner and staff, who read the table).
pub fn is_listed(p: &LightRow) -> bool {
    p.status == "published"
}
