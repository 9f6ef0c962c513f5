// Placeholder: implemented by the module owner in this session.
