//! What converting a client's value needs to know about a module's classes:
//! the declared type (and class) of each property, whether a class exists.
//! A loaded [`Module`] answers; [`NoClasses`] knows none (embedded instances
//! cannot be converted).

use super::module::Module;

/// Answers for the classes of embedded instances and references.
pub trait Schema {
    /// The declared `MI_Type` and class (embedded instances, references) of
    /// property `name` of class `class`; `None` when it has no such property.
    fn property(&self, class: &str, name: &str) -> Option<(u32, Option<String>)>;
    /// Whether class `class` exists.
    fn has_class(&self, class: &str) -> bool;
}

/// A schema with no classes: embedded instances cannot be converted.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoClasses;

impl Schema for NoClasses {
    fn property(&self, _: &str, _: &str) -> Option<(u32, Option<String>)> {
        None
    }
    fn has_class(&self, _: &str) -> bool {
        false
    }
}

impl Schema for Module {
    fn property(&self, class: &str, name: &str) -> Option<(u32, Option<String>)> {
        let inst = self.new_instance(class).ok()?;
        self.element_type(&inst, name)
    }
    fn has_class(&self, class: &str) -> bool {
        self.find_class(class).is_some()
    }
}
