//! A do-nothing proxy-wasm HTTP filter: the floor for any wasm body filter in the bench.
//!
//! It buffers the request body (pauses every chunk until end of stream, as llm-warden does before
//! it scans a request) and passes every response chunk. It reads no header and no body byte, so
//! what it costs is the wasm VM, the per-stream context and the host calls Envoy makes anyway.
//!
//! With the `read` feature it also copies every header map and every body chunk into the VM
//! (`get_map`, `get_buffer`), as any inspecting filter must, and still decides nothing: the floor
//! for a filter that reads what it filters.

use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, BufferType, ContextType, LogLevel, MapType};

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Warn);
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(Root) });
}}

struct Root;

impl Context for Root {}

impl RootContext for Root {
    fn on_configure(&mut self, _plugin_configuration_size: usize) -> bool {
        true
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(Noop))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct Noop;

impl Context for Noop {}

impl HttpContext for Noop {
    fn on_http_request_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        read_headers(MapType::HttpRequestHeaders);
        Action::Continue
    }

    fn on_http_request_body(&mut self, body_size: usize, end_of_stream: bool) -> Action {
        if end_of_stream {
            read_body(BufferType::HttpRequestBody, body_size);
            Action::Continue
        } else {
            Action::Pause
        }
    }

    fn on_http_response_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        read_headers(MapType::HttpResponseHeaders);
        Action::Continue
    }

    fn on_http_response_body(&mut self, body_size: usize, _end_of_stream: bool) -> Action {
        read_body(BufferType::HttpResponseBody, body_size);
        Action::Continue
    }
}

#[cfg(feature = "read")]
fn read_headers(map: MapType) {
    let headers = proxy_wasm::hostcalls::get_map(map).unwrap_or_default();
    std::hint::black_box(headers);
}

#[cfg(not(feature = "read"))]
fn read_headers(_map: MapType) {}

#[cfg(feature = "read")]
fn read_body(buf: BufferType, size: usize) {
    if size > 0 {
        let body = proxy_wasm::hostcalls::get_buffer(buf, 0, size).ok().flatten();
        std::hint::black_box(body);
    }
}

#[cfg(not(feature = "read"))]
fn read_body(_buf: BufferType, _size: usize) {}
