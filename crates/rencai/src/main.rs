// mimalloc instead of glibc's allocator: a list request allocates and frees hundreds of small
// strings (cards, JSON, tantivy's per-query scorers), and glibc spent a sixth of it there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    rencai::main()
}
