package employeerecord

// Pages of the fiches salarié (room internal/web/employeerecord), here so that other rooms
// link to them.
const (
	ListPath = "/employee_record/list"
	AddPath  = "/employee_record/add"
)

// ActionPath is where an action on the fiche is posted (disable, enable).
func ActionPath(publicID, action string) string { return "/employee_record/" + publicID + "/" + action }
