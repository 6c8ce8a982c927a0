//! Integration tests against a real Directus 12.4.1 and the real CLI binary.

mod support;

mod clients_files;
mod clients_golden;
mod clients_real;
mod connect;
mod enable;
mod faults;
mod kill_switch;
mod mcp_deletes;
mod oauth;
mod token;
