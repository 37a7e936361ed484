//! The live activities, nested by ParentActivityId, in a deterministic order:
//! each child under its own parent, after its older siblings (first record
//! first), as PowerShell's console orders them.

use std::collections::{BTreeMap, HashMap};

use super::watch::ActivityKey;

/// One activity and what to draw for it.
#[derive(Debug)]
pub(crate) struct Node<V> {
    parent: Option<ActivityKey>,
    seq: u64,
    pub depth: usize,
    children: BTreeMap<u64, ActivityKey>,
    /// Bumped at every update, so that a drawer can skip what has not changed.
    pub version: u64,
    pub view: V,
}

/// The activity tree.
#[derive(Debug)]
pub(crate) struct Tree<V> {
    nodes: HashMap<ActivityKey, Node<V>>,
    roots: BTreeMap<u64, ActivityKey>,
    next_seq: u64,
}

impl<V> Default for Tree<V> {
    fn default() -> Self {
        Tree {
            nodes: HashMap::new(),
            roots: BTreeMap::new(),
            next_seq: 0,
        }
    }
}

impl<V> Tree<V> {
    /// Live activities.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Sets what to draw for `key`. A new activity goes under `parent` if that
    /// activity is live (after its other children), else at the top; an
    /// activity keeps its place once it has one.
    pub fn update(&mut self, key: ActivityKey, parent: ActivityKey, view: V) {
        if let Some(node) = self.nodes.get_mut(&key) {
            node.view = view;
            node.version += 1;
            return;
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        let parent = (parent != key && parent.1 >= 0)
            .then_some(parent)
            .filter(|p| self.nodes.contains_key(p));
        let depth = match parent {
            Some(p) => {
                let p = self.nodes.get_mut(&p).expect("live parent");
                p.children.insert(seq, key);
                p.depth + 1
            }
            None => {
                self.roots.insert(seq, key);
                0
            }
        };
        self.nodes.insert(
            key,
            Node {
                parent,
                seq,
                depth,
                children: BTreeMap::new(),
                version: 0,
                view,
            },
        );
    }

    /// Removes `key` and everything under it (a Completed record: PowerShell's
    /// console drops the node with its children). Returns how many went.
    pub fn remove(&mut self, key: ActivityKey) -> usize {
        let Some(node) = self.nodes.get(&key) else {
            return 0;
        };
        let seq = node.seq;
        match node.parent {
            Some(p) => {
                if let Some(p) = self.nodes.get_mut(&p) {
                    p.children.remove(&seq);
                }
            }
            None => {
                self.roots.remove(&seq);
            }
        }
        let mut removed = 0;
        let mut todo = vec![key];
        while let Some(k) = todo.pop() {
            if let Some(n) = self.nodes.remove(&k) {
                removed += 1;
                todo.extend(n.children.into_values());
            }
        }
        removed
    }

    /// The first `n` activities in drawing order (depth first, older first).
    /// Work is proportional to `n` (times a logarithm), not to the tree.
    pub fn first(&self, n: usize) -> Vec<(ActivityKey, &Node<V>)> {
        let mut out = Vec::with_capacity(n.min(self.nodes.len()));
        // A stack of sibling iterators, deepest last.
        let mut stack = vec![self.roots.values()];
        while out.len() < n {
            let Some(top) = stack.last_mut() else { break };
            let Some(&key) = top.next() else {
                stack.pop();
                continue;
            };
            let node = &self.nodes[&key];
            out.push((key, node));
            stack.push(node.children.values());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::psrp::Guid;

    fn k(id: i32) -> ActivityKey {
        (Guid::default(), id)
    }

    #[test]
    fn children_go_under_their_own_parent_in_arrival_order() {
        let mut t = Tree::default();
        t.update(k(1), k(-1), ());
        t.update(k(2), k(-1), ());
        t.update(k(10), k(1), ());
        t.update(k(20), k(2), ());
        t.update(k(11), k(1), ());
        t.update(k(21), k(2), ());
        t.update(k(111), k(11), ());
        let order: Vec<(i32, usize)> = t.first(100).iter().map(|(k, n)| (k.1, n.depth)).collect();
        assert_eq!(
            order,
            [(1, 0), (10, 1), (11, 1), (111, 2), (2, 0), (20, 1), (21, 1)]
        );
        assert_eq!(t.first(3).len(), 3);
        assert_eq!(t.remove(k(1)), 4);
        let order: Vec<i32> = t.first(100).iter().map(|(k, _)| k.1).collect();
        assert_eq!(order, [2, 20, 21]);
        // A parent that is gone: the child goes to the top.
        t.update(k(12), k(1), ());
        assert_eq!(t.first(100).last().unwrap().0, k(12));
    }

    #[test]
    fn a_deep_chain_neither_recurses_nor_slows_the_first_rows() {
        let mut t = Tree::default();
        t.update(k(0), k(-1), ());
        for i in 1..100_000 {
            t.update(k(i), k(i - 1), ());
        }
        assert_eq!(t.first(5).last().unwrap().1.depth, 4);
        assert_eq!(t.remove(k(0)), 100_000);
        assert_eq!(t.len(), 0);
    }
}
