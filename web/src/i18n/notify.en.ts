/** Notifications: the bell, the feed and what each kind of notification says. */
export default {
  title: 'Notifications',
  bell_zero: 'Notifications, none unread',
  bell_one: 'Notifications, {{count, number}} unread',
  bell_other: 'Notifications, {{count, number}} unread',
  intro: 'What happened to your statements, disputes, registrations, offers, tiers and certifications.',
  onlyUnread: 'Only unread',
  markRead: 'Mark as read',
  markAllRead: 'Mark all as read',
  unread: 'Unread',
  empty: 'No notifications.',
  emptyUnread: 'Nothing unread.',
  open: 'Open',
  email: 'Also send me these by e-mail',
  emailSaved: 'E-mail preference saved.',
  from: 'From {{vendor}}',
  kinds: {
    mdfPreapproved:
      'Your activity “{{title}}” was pre-approved for {{amount}}; claim by {{deadline}} once it has ended.',
    mdfRefused: 'Your activity “{{title}}” was refused.',
    mdfClaimPaid: 'Your claim for “{{title}}” was approved: {{amount}} paid.',
    mdfClaimRejected: 'Your claim for “{{title}}” was rejected; you may claim again by {{deadline}}.',
    mdfClaimDue_one: 'Claim {{amount}} for “{{title}}”: {{count, number}} day left (by {{deadline}}).',
    mdfClaimDue_other: 'Claim {{amount}} for “{{title}}”: {{count, number}} days left (by {{deadline}}).',
    statementIssued: 'Statement {{sequence}} for {{period}} was issued: {{total}}.',
    disputeAccepted: 'Your dispute on statement {{statementId}} was accepted ({{amount}}).',
    disputeRejected: 'Your dispute on statement {{statementId}} was rejected.',
    dealApproved: 'Your registration for {{customer}} was approved, protected until {{until}}.',
    dealRejected: 'Your registration for {{customer}} was rejected.',
    dealExtended: 'The protection of your registration for {{customer}} was extended to {{until}}.',
    dealExtensionRefused: 'The extension of your registration for {{customer}} was refused.',
    dealExpiring_one:
      'Your registration for {{customer}} stops being protected in {{count, number}} day ({{until}}).',
    dealExpiring_other:
      'Your registration for {{customer}} stops being protected in {{count, number}} days ({{until}}).',
    offerReceived: 'An order was offered to you; answer by {{deadline}}.',
    tierUp: 'You moved up to {{to}} (from {{from}}) on {{day}}.',
    tierDown: 'You moved down to {{to}} (from {{from}}) on {{day}}.',
    tierNew: 'You now hold {{to}}, from {{day}}.',
    certificationExpiring_one:
      '{{person}}’s certification {{certification}} expires in {{count, number}} day ({{day}}).',
    certificationExpiring_other:
      '{{person}}’s certification {{certification}} expires in {{count, number}} days ({{day}}).',
  },
} as const;
