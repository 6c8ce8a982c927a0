//! Integration tests against a real Directus 12.4.1 and the real CLI binary.

mod support;

mod bridge;
mod bridge_consent;
mod bridge_reuse;
mod canary;
mod clients_files;
mod clients_golden;
mod clients_real;
mod clients_variants;
mod connect;
mod doctor;
mod doctor_registration;
mod enable;
mod faults;
mod grants_flood;
mod kill_switch;
mod least_privilege;
mod mcp_deletes;
mod network;
mod oauth;
mod projects;
mod read_only;
mod session;
mod sign_in_end;
mod token;
mod tool_mode;
mod versions;
