// Loads every family of lowering rules into the table.
import "./elementwise.js";
import "./structural.js";
import "./reduction.js";
import "./linalg.js";
import "./higher_order.js";
import "./indexing.js";
import "./sort.js";
import "./control_flow.js";
import "./conv.js";
import "./window.js";
import "./special.js";
