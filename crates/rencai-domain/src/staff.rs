//! Staff roles and what each may do (P10: least privilege). Every staff action that needs
//! more than looking at the back office names its permission; a role grants only what its work
//! needs.

/// What a staff member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Create staff accounts and change their roles.
    ManageStaff,
    /// Review jobs, companies and posts; take content down.
    ModerateContent,
    /// See a person's personal information (always audited, with a reason).
    ReadPersonalData,
    /// See personal information of 16–17-year-olds (P21), on top of the above.
    ReadMinorData,
    /// Answer feedback tickets and complaints (P18).
    HandleTickets,
    /// Confirm payments and issue invoices.
    ManageOrders,
    /// Edit news, announcements and pages.
    EditContent,
    /// Publish versions of the privacy policy and user agreement (P3).
    PublishLegalTexts,
    /// Read the audit log and handle lawful requests and incidents (P11, P16).
    ViewAudit,
}

impl Permission {
    pub fn label(self) -> &'static str {
        match self {
            Self::ManageStaff => "管理工作人员",
            Self::ModerateContent => "审核内容",
            Self::ReadPersonalData => "查看个人信息（留痕）",
            Self::ReadMinorData => "查看未成年人信息（留痕）",
            Self::HandleTickets => "处理工单",
            Self::ManageOrders => "订单与发票",
            Self::EditContent => "编辑资讯与页面",
            Self::PublishLegalTexts => "发布隐私政策与用户协议",
            Self::ViewAudit => "查看审计日志",
        }
    }
}

/// The back-office roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    Administrator,
    Moderator,
    CustomerService,
    Finance,
    ContentEditor,
    DataProtectionOfficer,
}

impl StaffRole {
    pub const ALL: [StaffRole; 6] = [
        Self::Administrator,
        Self::Moderator,
        Self::CustomerService,
        Self::Finance,
        Self::ContentEditor,
        Self::DataProtectionOfficer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Administrator => "administrator",
            Self::Moderator => "moderator",
            Self::CustomerService => "customer_service",
            Self::Finance => "finance",
            Self::ContentEditor => "content_editor",
            Self::DataProtectionOfficer => "data_protection_officer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Administrator => "管理员",
            Self::Moderator => "审核员",
            Self::CustomerService => "客服",
            Self::Finance => "财务",
            Self::ContentEditor => "内容编辑",
            Self::DataProtectionOfficer => "个人信息保护负责人",
        }
    }

    /// The permissions of the role. Administrators run the site but do not read personal data
    /// by default: that is the data-protection officer's and customer service's work.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Self::Administrator => &[ManageStaff, ModerateContent, EditContent, ManageOrders, ViewAudit],
            Self::Moderator => &[ModerateContent],
            Self::CustomerService => &[HandleTickets, ReadPersonalData],
            Self::Finance => &[ManageOrders],
            Self::ContentEditor => &[EditContent],
            Self::DataProtectionOfficer => {
                &[ViewAudit, ReadPersonalData, ReadMinorData, PublishLegalTexts, HandleTickets]
            }
        }
    }

    pub fn can(self, p: Permission) -> bool {
        self.permissions().contains(&p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_have_permissions() {
        for r in StaffRole::ALL {
            assert_eq!(StaffRole::parse(r.as_str()), Some(r));
            assert!(!r.permissions().is_empty());
        }
    }

    #[test]
    fn least_privilege() {
        assert!(StaffRole::Administrator.can(Permission::ManageStaff));
        assert!(
            !StaffRole::Administrator.can(Permission::ReadPersonalData),
            "admins do not read personal data by default"
        );
        assert!(!StaffRole::Moderator.can(Permission::ManageStaff));
        assert!(StaffRole::DataProtectionOfficer.can(Permission::ReadMinorData));
        assert!(!StaffRole::CustomerService.can(Permission::ReadMinorData), "minors need the extra permission (P21)");
        let staff_managers: Vec<_> = StaffRole::ALL.into_iter().filter(|r| r.can(Permission::ManageStaff)).collect();
        assert_eq!(staff_managers, vec![StaffRole::Administrator]);
    }
}
