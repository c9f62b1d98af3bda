//! Empty: this package exists only so cargo fetches the C sources.
