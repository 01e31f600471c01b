//! Typed OpenSRS XCP commands.
//!
//! This crate will hold one module per command (`transfer::send_password`,
//! `domain::check_transfer`, ...), each declared with `ops-core`'s derive.
//! It is a documented shell until those commands land.
